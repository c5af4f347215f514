//! The automatic Zalo channel end to end against the fake Zalo: the route each message takes,
//! the fall to the next route after a permanent failure (never the same route twice), and Zalo
//! template messages with their parameters.

use std::sync::Arc;

use tend_core::base::clock::FakeClock;
use tend_core::base::ids::{CustomerId, TemplateId};
use tend_core::messaging::channels::{secret, ChannelSettings, Channels, Endpoints};
use tend_core::messaging::delivery::OutboxSender;
use tend_core::messaging::outbox::{ComposeRequest, ErrorHint, OutboxStatus, SendChannel};
use tend_core::messaging::secrets::{MemorySecrets, SecretStore};
use tend_core::messaging::templates::{TemplateChannel, TemplateInput};
use tend_core::messaging::zalo::mapping::ParamSource;
use tend_core::messaging::zalo::route::{RouteReason, ZaloRoute};
use tend_core::Store;
use tend_fakes::zalo::{FakeTemplate, FakeZalo};

use crate::support::*;

/// A store on disk, a sender over its own connection to the fake Zalo, and the fake.
struct Rig {
    s: Store,
    sender: OutboxSender,
    z: FakeZalo,
    oa: tend_core::messaging::channels::zalo::ZaloOa,
    _dir: tempfile::TempDir,
}

fn rig() -> Rig {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    z.add_template(FakeTemplate::approved(
        "231456",
        "Hỏi thăm sau mua",
        &[("customer_name", 30), ("shop", 40)],
    ));
    let secrets: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
    secrets.set(secret::ZALO_ACCESS_TOKEN, Some("a")).unwrap();
    secrets.set(secret::ZALO_REFRESH_TOKEN, Some("r")).unwrap();
    secrets.set(secret::ZALO_APP_SECRET, Some("sk")).unwrap();
    let settings = ChannelSettings {
        zalo_app_id: Some("app1".into()),
        ..Default::default()
    };
    let endpoints = Endpoints {
        zalo_api: z.base(),
        zalo_oauth: z.base(),
        zalo_business: z.base(),
        ..Default::default()
    };
    let channels = Channels::new(endpoints, settings.clone(), secrets);
    let oa = channels.zalo().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open_dir(dir.path()).unwrap();
    s.save_channel_settings(&settings).unwrap();
    s.refresh_zalo_templates(&oa, NOW).unwrap();
    let sender = OutboxSender::new(
        Store::open_dir(dir.path()).unwrap(),
        Arc::new(channels),
        Arc::new(FakeClock::at(NOW)),
    )
    .unwrap();
    Rig {
        s,
        sender,
        z,
        oa,
        _dir: dir,
    }
}

fn mapped_template(s: &mut Store) -> TemplateId {
    s.create_template(
        &TemplateInput {
            name: "Hỏi thăm".into(),
            channel: TemplateChannel::Zalo,
            body: "Chào {{customer.name}}, chị dùng sản phẩm thấy thế nào ạ?".into(),
            zalo_template_id: Some("231456".into()),
            zalo_params: Some(
                [
                    (
                        "customer_name".to_string(),
                        ParamSource::Field("customer.name".into()),
                    ),
                    (
                        "shop".to_string(),
                        ParamSource::Text("Cửa hàng Minh Phát".into()),
                    ),
                ]
                .into_iter()
                .collect(),
            ),
            ..Default::default()
        },
        NOW,
    )
    .unwrap()
    .id
}

fn lan(s: &mut Store, uid: Option<&str>) -> CustomerId {
    let uid = uid.map(String::from);
    customer_with(s, "Trần Thị Lan", NOW, move |c| {
        *c = customer_input("Trần Thị Lan", "0912 345 678");
        c.zalo_id = uid;
    })
}

fn compose(
    s: &mut Store,
    c: &CustomerId,
    t: &TemplateId,
    channel: SendChannel,
    key: &str,
) -> tend_core::messaging::outbox::OutboxMessage {
    s.compose(
        &ComposeRequest {
            customer_id: c.clone(),
            template_id: t.clone(),
            channel,
            idempotency_key: key.into(),
        },
        TODAY,
        NOW,
    )
    .unwrap()
}

#[test]
fn outside_every_window_it_goes_once_as_a_template_to_the_phone() {
    let mut r = rig();
    let t = mapped_template(&mut r.s);
    let c = lan(&mut r.s, Some("5001"));
    let preview =
        r.s.zalo_route_preview(&c, &t, SendChannel::ZaloAuto, TODAY, NOW)
            .unwrap();
    assert_eq!(
        (preview.route, preview.reason),
        (ZaloRoute::Template, RouteReason::OutsideWindows)
    );
    assert_eq!(preview.cost_vnd, 200, "Zalo's price of the template");
    let m = compose(&mut r.s, &c, &t, SendChannel::ZaloAuto, "k1");
    r.sender.pass().unwrap();
    r.sender.pass().unwrap();
    let sent = r.z.template_sent();
    assert_eq!(sent.len(), 1, "once");
    assert_eq!(sent[0].phone, "84912345678");
    assert_eq!(sent[0].data["customer_name"], "Trần Thị Lan");
    assert_eq!(sent[0].data["shop"], "Cửa hàng Minh Phát");
    assert_eq!(sent[0].tracking_id.as_deref(), Some(m.id.as_str()));
    assert!(
        r.z.sent().is_empty(),
        "no consultation message outside the window"
    );
    let row = r.s.get_outbox(&m.id).unwrap();
    assert_eq!(row.status, OutboxStatus::Sent);
    assert_eq!(row.route, Some(ZaloRoute::Template));
    let got = "ZNS “Hỏi thăm sau mua”: customer_name: Trần Thị Lan · shop: Cửa hàng Minh Phát";
    assert_eq!(row.body_text, got, "what the customer got, not Tend's text");
    let timeline = r.s.timeline(&c, 0, 5).unwrap().items;
    assert_eq!(timeline[0].content.as_deref(), Some(got));
}

#[test]
fn a_settings_problem_fails_the_message_as_it_is_and_retry_starts_over() {
    let mut r = rig();
    let t = mapped_template(&mut r.s);
    let c = lan(&mut r.s, Some("5001"));
    r.s.poll_zalo_replies(&r.oa, NOW - DAY).unwrap();
    r.z.user_says_at("5001", "Lan", "alo", NOW - HOUR);
    r.s.poll_zalo_replies(&r.oa, NOW - MIN).unwrap();
    r.z.state
        .lock()
        .unwrap()
        .script
        .push_back(tend_fakes::Response::json(
            200,
            serde_json::json!({"error": -224, "message": "OA has not bought the service package"}),
        ));
    let m = compose(&mut r.s, &c, &t, SendChannel::ZaloAuto, "k1");
    r.sender.pass().unwrap();
    let row = r.s.get_outbox(&m.id).unwrap();
    assert_eq!(
        row.status,
        OutboxStatus::Failed,
        "no other route would do better"
    );
    assert_eq!(row.route, Some(ZaloRoute::FreeReply));
    assert!(row.routes_tried.is_empty());
    assert!(row.last_error.unwrap().contains("-224"));
    assert!(r.z.template_sent().is_empty());
    let again = r.s.retry_message(&m.id, NOW).unwrap();
    assert_eq!((again.route, again.routes_tried.len()), (None, 0));
    r.sender.pass().unwrap();
    assert_eq!(r.s.get_outbox(&m.id).unwrap().status, OutboxStatus::Sent);
    assert_eq!(r.z.sent().len(), 1, "the free reply, after the retry");
}

#[test]
fn after_the_customer_writes_a_reply_is_free_and_quotes_their_message() {
    let mut r = rig();
    let t = mapped_template(&mut r.s);
    let c = lan(&mut r.s, Some("5001"));
    r.s.poll_zalo_replies(&r.oa, NOW).unwrap();
    let theirs =
        r.z.user_says_at("5001", "Lan", "Chị ơi còn hàng không", NOW + MIN);
    r.s.poll_zalo_replies(&r.oa, NOW + 2 * MIN).unwrap();
    let preview =
        r.s.zalo_route_preview(&c, &t, SendChannel::ZaloAuto, TODAY, NOW + 3 * MIN)
            .unwrap();
    assert_eq!(preview.route, ZaloRoute::FreeReply);
    assert_eq!(preview.free_replies_left, 8);
    assert_eq!(preview.window_closes_at, Some(NOW + MIN + 48 * HOUR));
    let m = compose(&mut r.s, &c, &t, SendChannel::ZaloAuto, "k1");
    r.sender.pass().unwrap();
    let sent = r.z.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].quote_message_id.as_deref(), Some(theirs.as_str()));
    assert!(sent[0].text.starts_with("Chào Trần Thị Lan"));
    assert_eq!(
        r.s.get_outbox(&m.id).unwrap().route,
        Some(ZaloRoute::FreeReply)
    );
    assert!(r.z.template_sent().is_empty());
    assert_eq!(r.s.zalo_window("5001").unwrap().free_replies_used, 1);
}

#[test]
fn a_route_that_fails_for_good_hands_the_message_to_the_next_never_twice() {
    let mut r = rig();
    let t = mapped_template(&mut r.s);
    let c = lan(&mut r.s, Some("5001"));
    r.s.poll_zalo_replies(&r.oa, NOW - 5 * DAY).unwrap();
    // Tend saw them write 3 days ago, but Zalo says the window is closed (-230).
    r.z.user_says_at("5001", "Lan", "ok", NOW - 3 * DAY);
    r.s.poll_zalo_replies(&r.oa, NOW - 3 * DAY + MIN).unwrap();
    r.z.state
        .lock()
        .unwrap()
        .outside_window
        .insert("5001".into());
    let m = compose(&mut r.s, &c, &t, SendChannel::ZaloAuto, "k1");
    r.sender.pass().unwrap();
    r.sender.pass().unwrap();
    let row = r.s.get_outbox(&m.id).unwrap();
    assert_eq!(row.status, OutboxStatus::Sent);
    assert_eq!(row.route, Some(ZaloRoute::Template));
    assert_eq!(row.routes_tried, vec![ZaloRoute::Consultation]);
    assert_eq!(r.z.template_sent().len(), 1);
    assert!(r.z.sent().is_empty());

    // No mapping, no window: the salesperson's own Zalo, said so.
    let plain =
        r.s.create_template(
            &TemplateInput {
                name: "Chào".into(),
                channel: TemplateChannel::Zalo,
                body: "Chào {{customer.name}}".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    let other = lan(&mut r.s, Some("5002"));
    let preview =
        r.s.zalo_route_preview(&other, &plain, SendChannel::ZaloAuto, TODAY, NOW)
            .unwrap();
    assert_eq!(
        (preview.route, preview.reason),
        (ZaloRoute::Personal, RouteReason::NoTemplateMapping)
    );
    let m = compose(&mut r.s, &other, &plain, SendChannel::ZaloAuto, "k2");
    r.sender.pass().unwrap();
    let row = r.s.get_outbox(&m.id).unwrap();
    assert_eq!(row.status, OutboxStatus::Failed);
    assert_eq!(row.route, Some(ZaloRoute::Personal));
    assert_eq!(row.error_hint, Some(ErrorHint::UsePersonalZalo));
}

/// A template of the Zalo template channel mapping `zalo_id`'s parameters as given.
fn zalo_only(
    s: &mut Store,
    name: &str,
    zalo_id: &str,
    params: &[(&str, ParamSource)],
) -> tend_core::Result<TemplateId> {
    s.create_template(
        &TemplateInput {
            name: name.into(),
            channel: TemplateChannel::ZaloTemplate,
            zalo_template_id: Some(zalo_id.into()),
            zalo_params: Some(
                params
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            ),
            ..Default::default()
        },
        NOW,
    )
    .map(|t| t.id)
}

#[test]
fn a_zalo_template_message_needs_every_parameter_within_zalos_limits() {
    let mut r = rig();
    let field = |f: &str| ParamSource::Field(f.into());
    let text = |t: &str| ParamSource::Text(t.into());
    let only = zalo_only(
        &mut r.s,
        "Phiếu bảo hành",
        "231456",
        &[
            ("customer_name", field("customer.company")),
            ("shop", text("Minh Phát")),
        ],
    )
    .unwrap();
    let c = lan(&mut r.s, None);
    let e =
        r.s.compose(
            &ComposeRequest {
                customer_id: c.clone(),
                template_id: only.clone(),
                channel: SendChannel::ZaloTemplate,
                idempotency_key: "k".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.key(), "send.zalo_param_missing", "Lan has no company");
    let preview = r.s.render_template(&only, &c, false, TODAY).unwrap();
    assert_eq!(
        preview.text, "ZNS “Hỏi thăm sau mua”: customer_name: — · shop: Minh Phát",
        "the compose preview names the empty value"
    );

    // A parameter left unmapped, a fixed text too long, or a template Zalo does not have cannot
    // even be saved.
    let saved = |r: &mut Rig, id: &str, params: &[(&str, ParamSource)]| {
        zalo_only(&mut r.s, "x", id, params).unwrap_err().key()
    };
    assert_eq!(
        saved(&mut r, "231456", &[("shop", text("Minh Phát"))]),
        "template.zalo_param_unmapped"
    );
    assert_eq!(
        saved(
            &mut r,
            "231456",
            &[
                ("customer_name", field("customer.name")),
                ("shop", text(&"Cửa hàng ".repeat(6)))
            ]
        ),
        "template.zalo_param_too_long"
    );
    assert_eq!(saved(&mut r, "999", &[]), "template.zalo_template_unknown");

    // Mapped to the name: it goes, with the name.
    let by_name = zalo_only(
        &mut r.s,
        "Phiếu bảo hành 2",
        "231456",
        &[
            ("customer_name", field("customer.name")),
            ("shop", text("Minh Phát")),
        ],
    )
    .unwrap();
    let m = compose(&mut r.s, &c, &by_name, SendChannel::ZaloTemplate, "k2");
    assert!(m.body_text.contains("Hỏi thăm sau mua"), "{}", m.body_text);
    r.sender.pass().unwrap();
    assert_eq!(r.s.get_outbox(&m.id).unwrap().status, OutboxStatus::Sent);
    assert_eq!(r.z.template_sent()[0].data["customer_name"], "Trần Thị Lan");
}

#[test]
fn today_lists_the_customers_whose_free_window_closes_soon() {
    let mut r = rig();
    let lan = lan(&mut r.s, Some("5001"));
    let _quiet = customer_with(&mut r.s, "Lê Văn Tám", NOW, |c| {
        c.zalo_id = Some("5002".into())
    });
    r.s.poll_zalo_replies(&r.oa, NOW - 3 * DAY).unwrap();
    r.z.user_says_at("5001", "Lan", "Em đặt 2 hộp nhé", NOW - 45 * HOUR);
    r.z.user_says_at("5002", "Tám", "ok", NOW - 2 * HOUR);
    r.s.poll_zalo_replies(&r.oa, NOW - HOUR).unwrap();
    let soon = r.s.zalo_closing_windows(NOW, 6 * HOUR).unwrap();
    assert_eq!(soon.len(), 1, "Tám's window is open for 46 more hours");
    assert_eq!(soon[0].customer_id, lan);
    assert_eq!(soon[0].route, ZaloRoute::FreeReply);
    assert_eq!(soon[0].closes_at, NOW + 3 * HOUR);
    assert_eq!(soon[0].free_replies_left, 8);
    assert_eq!(soon[0].last_text.as_deref(), Some("Em đặt 2 hộp nhé"));
    // Two days on, Lan's free replies are gone and her 7 days close later.
    let later = r.s.zalo_closing_windows(NOW + 5 * DAY, 12 * HOUR).unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].route, ZaloRoute::Consultation);

    let t = mapped_template(&mut r.s);
    let _ = t;
    let params =
        r.s.preview_zalo_params(
            "231456",
            &[(
                "customer_name".to_string(),
                ParamSource::Field("customer.name".into()),
            )]
            .into_iter()
            .collect(),
            &lan,
            TODAY,
        )
        .unwrap();
    assert_eq!(params[0].value.as_deref(), Some("Trần Thị Lan"));
    assert_eq!(
        params[1].problem,
        Some(tend_core::messaging::zalo::mapping::ParamProblem::Unmapped)
    );
}

#[test]
fn a_bulk_enrolment_says_what_its_zalo_messages_would_cost() {
    use tend_core::care::model::{ScenarioInput, StepInput, StepKind};
    let mut r = rig();
    let t = mapped_template(&mut r.s);
    for (name, uid) in [("Lan", Some("5001")), ("Mai", None), ("Hoa", Some("5003"))] {
        let uid = uid.map(String::from);
        customer_with(&mut r.s, name, NOW, move |c| {
            *c = customer_input(name, "0912 345 678");
            c.zalo_id = uid;
            c.tags = vec!["Khách sỉ".into()];
        });
    }
    let tag = r.s.list_tags().unwrap()[0].id.clone();
    r.s.poll_zalo_replies(&r.oa, NOW - DAY).unwrap();
    r.z.user_says_at("5003", "Hoa", "alo", NOW - HOUR);
    r.s.poll_zalo_replies(&r.oa, NOW - MIN).unwrap();
    let sc =
        r.s.create_scenario(
            &ScenarioInput {
                name: "Tri ân".into(),
                steps: vec![StepInput {
                    id: None,
                    kind: StepKind::Message,
                    delay_days: 0,
                    delay_hours: 0,
                    delay_minutes: 0,
                    delay_from: Default::default(),
                    title: None,
                    priority: None,
                    due_offset_minutes: None,
                    template_id: Some(t),
                    channel: Some(SendChannel::ZaloAuto),
                }],
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .id;
    let e = r.s.zalo_bulk_estimate(&sc, &tag, NOW).unwrap();
    assert_eq!(e.customers, 3);
    assert_eq!((e.free_reply, e.template, e.blocked), (1, 2, 0), "{e:?}");
    assert_eq!(e.cost_vnd, 400);
}
