//! Customers' Zalo replies read back by polling the OA's conversations, against the fake Zalo.

use tend_core::crm::interactions::{Direction, InteractionKind};
use tend_fakes::zalo::FakeZalo;
use tend_fakes::Response;

use crate::messaging_channels::{zalo_client, zalo_secrets};
use crate::support::care::*;
use tend_core::Store;

const MIN: i64 = 60_000;

fn zalo_customer(s: &mut Store, name: &str, uid: &str) -> tend_core::base::ids::CustomerId {
    let uid = uid.to_string();
    customer_with(s, name, at(2026, 11, 1, 9, 0), move |c| {
        c.zalo_id = Some(uid)
    })
}

fn inbound_zalo(s: &Store, c: &tend_core::base::ids::CustomerId) -> Vec<(i64, String)> {
    s.timeline(c, 0, 100)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.kind == InteractionKind::Zalo && i.direction == Direction::Inbound)
        .map(|i| (i.occurred_at, i.content.unwrap_or_default()))
        .collect()
}

#[test]
fn a_customers_reply_goes_on_the_timeline_once_and_ends_scenarios_that_stop_on_reply() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    let lan = zalo_customer(&mut s, "Trần Thị Lan", "5001");
    let sc = scenario(
        &mut s,
        vec![task(
            "Gọi lại",
            3,
            0,
            0,
            tend_core::care::timing::DelayFrom::Start,
        )],
        |i| i.exit_on_reply = true,
    );
    enroll(&mut s, &sc, &lan, t0);
    // The first read sets where Tend starts.
    assert_eq!(s.poll_zalo_replies(&oa, t0).unwrap().replies, 0);

    let mid = z.user_says_at("5001", "Lan Trần", "Dạ em nhận được rồi ạ", t0 + MIN);
    let report = s.poll_zalo_replies(&oa, t0 + 2 * MIN).unwrap();
    assert_eq!((report.replies, report.from_unknown), (1, 0));
    assert_eq!(
        inbound_zalo(&s, &lan),
        vec![(t0 + MIN, "Dạ em nhận được rồi ạ".to_string())]
    );
    assert_eq!(
        s.customer_enrollments(&lan).unwrap()[0].status.as_str(),
        "exited"
    );
    let w = s.zalo_window("5001").unwrap();
    assert_eq!(w.last_inbound_message_id.as_deref(), Some(mid.as_str()));
    assert!(w.free_reply_open(t0 + 2 * MIN) && w.consultation_open(t0 + 2 * MIN));
    // Read again, and again after the OA answered: nothing twice.
    assert_eq!(s.poll_zalo_replies(&oa, t0 + 3 * MIN).unwrap().replies, 0);
    assert_eq!(
        oa.send_reply("5001", "Cảm ơn chị", Some(&mid)),
        tend_core::messaging::channels::Delivery::Sent {
            provider_id: Some(
                z.state.lock().unwrap().chats["5001"]
                    .last()
                    .unwrap()
                    .message_id
                    .clone()
            )
        }
    );
    assert_eq!(z.sent()[0].quote_message_id.as_deref(), Some(mid.as_str()));
    let report = s.poll_zalo_replies(&oa, t0 + 4 * MIN).unwrap();
    assert_eq!(report.replies, 0, "the OA's own message is not a reply");
    assert_eq!(inbound_zalo(&s, &lan).len(), 1);
}

#[test]
fn a_stranger_is_an_unknown_contact_until_linked_to_a_customer() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    s.poll_zalo_replies(&oa, t0).unwrap();
    z.user_says_at("7002", "Minh Hoàng", "Shop còn hàng không ạ?", t0 + MIN);
    let report = s.poll_zalo_replies(&oa, t0 + 2 * MIN).unwrap();
    assert_eq!((report.replies, report.from_unknown), (0, 1));
    let unknown = s.unknown_zalo_contacts().unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].user_id, "7002");
    assert_eq!(unknown[0].display_name.as_deref(), Some("Minh Hoàng"));
    assert_eq!(
        unknown[0].last_inbound_text.as_deref(),
        Some("Shop còn hàng không ạ?")
    );
    assert_eq!(unknown[0].last_inbound_at, Some(t0 + MIN));

    let hoang = customer_with(&mut s, "Hoàng Minh", at(2026, 11, 1, 9, 0), |_| {});
    s.link_zalo_contact("7002", &hoang, t0 + 3 * MIN).unwrap();
    assert_eq!(
        s.get_customer(&hoang).unwrap().zalo_id.as_deref(),
        Some("7002")
    );
    assert_eq!(
        inbound_zalo(&s, &hoang),
        vec![(t0 + MIN, "Shop còn hàng không ạ?".to_string())],
        "what they wrote is on the timeline"
    );
    assert!(s.unknown_zalo_contacts().unwrap().is_empty());
    // Their next message is a customer's reply.
    z.user_says_at("7002", "Minh Hoàng", "Em lấy 2 cái", t0 + 5 * MIN);
    assert_eq!(s.poll_zalo_replies(&oa, t0 + 6 * MIN).unwrap().replies, 1);

    // A dismissed stranger leaves the list.
    z.user_says_at("7003", "Quảng cáo", "Mua sim số đẹp", t0 + 7 * MIN);
    s.poll_zalo_replies(&oa, t0 + 8 * MIN).unwrap();
    assert_eq!(s.unknown_zalo_contacts().unwrap().len(), 1);
    s.dismiss_zalo_contact("7003", t0 + 9 * MIN).unwrap();
    assert!(s.unknown_zalo_contacts().unwrap().is_empty());
    assert!(s.dismiss_zalo_contact("nobody", t0).is_err());
}

#[test]
fn messages_from_before_tend_set_the_window_but_are_not_logged() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    let lan = zalo_customer(&mut s, "Trần Thị Lan", "5001");
    z.user_says_at("5001", "Lan", "tin cũ", t0 - 24 * 60 * MIN);
    assert_eq!(s.poll_zalo_replies(&oa, t0).unwrap().replies, 0);
    assert!(inbound_zalo(&s, &lan).is_empty());
    let w = s.zalo_window("5001").unwrap();
    assert_eq!(w.last_inbound_at, Some(t0 - 24 * 60 * MIN));
    assert!(!w.free_reply_open(t0 + 24 * 60 * MIN) && w.consultation_open(t0));
    assert!(s.unknown_zalo_contacts().unwrap().is_empty());
}

#[test]
fn a_backlog_of_any_size_is_read_over_several_polls_within_the_calls_cap_each_message_once() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    s.poll_zalo_replies(&oa, t0).unwrap();
    // 420 customers wrote while Tend was closed (more than one poll's list pages), one of them
    // 25 times.
    let mut customers = Vec::new();
    for k in 0..420 {
        let uid = format!("9{k:03}");
        customers.push(zalo_customer(&mut s, &format!("Khách {k}"), &uid));
        z.user_says_at(&uid, "Khách", &format!("tin {k}"), t0 + (k + 1) * 1000);
    }
    for n in 0..25 {
        z.user_says_at(
            "9000",
            "Khách",
            &format!("thêm {n}"),
            t0 + 600_000 + n * 1000,
        );
    }
    let mut total = 0;
    let mut polls = 0;
    loop {
        polls += 1;
        let report = s.poll_zalo_replies(&oa, t0 + 60 * MIN).unwrap();
        assert!(report.calls <= tend_core::app::zalo::MAX_CALLS_PER_POLL);
        total += report.replies;
        if report.replies == 0 {
            break;
        }
        // Messages keep coming in meanwhile.
        assert!(polls < 10, "the reader gets through");
    }
    assert!(polls > 2, "spread over several polls: {polls}");
    assert_eq!(total, 420 + 25);
    for c in &customers[1..] {
        assert_eq!(inbound_zalo(&s, c).len(), 1);
    }
    assert_eq!(inbound_zalo(&s, &customers[0]).len(), 26);
}

#[test]
fn a_conversation_zalo_refuses_does_not_stop_the_others() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let oa = zalo_client(&z, zalo_secrets("a", "r"));
    s.poll_zalo_replies(&oa, t0).unwrap();
    let locked = zalo_customer(&mut s, "Khách khoá", "8001");
    let lan = zalo_customer(&mut s, "Trần Thị Lan", "8002");
    z.state
        .lock()
        .unwrap()
        .conversations_refused
        .insert("8001".into());
    z.user_says_at("8001", "A", "tin A", t0 + MIN);
    z.user_says_at("8002", "Lan", "tin Lan", t0 + 2 * MIN);
    assert_eq!(s.poll_zalo_replies(&oa, t0 + 3 * MIN).unwrap().replies, 2);
    assert_eq!(inbound_zalo(&s, &locked).len(), 1, "from the list");
    assert_eq!(inbound_zalo(&s, &lan).len(), 1);
}

#[test]
fn reading_refreshes_an_expired_token_and_tells_offline_rate_limit_and_refusal_apart() {
    let t0 = at(2026, 11, 23, 9, 0);
    let mut s = store();
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    let secrets = zalo_secrets("a", "r");
    let oa = zalo_client(&z, secrets.clone());
    s.poll_zalo_replies(&oa, t0).unwrap();
    let lan = zalo_customer(&mut s, "Trần Thị Lan", "5001");
    z.user_says_at("5001", "Lan", "alo", t0 + MIN);
    z.expire_access_token();
    assert_eq!(s.poll_zalo_replies(&oa, t0 + 2 * MIN).unwrap().replies, 1);
    assert_eq!(inbound_zalo(&s, &lan).len(), 1);

    let limited = Response::json(
        200,
        serde_json::json!({"error": -32, "message": "The request exceeded the limit per minute"}),
    );
    z.state.lock().unwrap().script.push_back(limited);
    assert!(s.poll_zalo_replies(&oa, t0 + 3 * MIN).unwrap().rate_limited);

    let refused = Response::json(
        200,
        serde_json::json!({"error": -224, "message": "OA has not bought the service package"}),
    );
    z.state.lock().unwrap().script.push_back(refused);
    let e = s.poll_zalo_replies(&oa, t0 + 4 * MIN).unwrap_err();
    assert_eq!(e.key(), "zalo.read_refused");

    let base = z.base();
    drop(z);
    let gone = tend_core::messaging::channels::zalo::ZaloOa::new(
        &crate::messaging_channels::agent(),
        &base,
        &base,
        "app1",
        secrets,
    );
    assert!(s.poll_zalo_replies(&gone, t0 + 5 * MIN).unwrap().offline);
}
