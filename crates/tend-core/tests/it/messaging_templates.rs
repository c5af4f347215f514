//! Templates: rendering, helpers, missing variables, syntax errors, escaping, lists.

use tend_core::messaging::outbox::{ComposeRequest, OutboxQuery, SendChannel};
use tend_core::messaging::templates::{self, TemplateChannel, TemplateInput};
use tend_core::ErrorCode;

use crate::support::messaging::*;

#[test]
fn renders_variables_and_helpers() {
    let mut s = store();
    let id = customer(&mut s, "Nguyễn Văn Đức", |c| {
        c.company_name = Some("Cửa hàng Minh Phát".into());
        c.birthday = Some("1990-05-17".into());
    });
    s.set_setting("my_name", Some("Trần Thị Lan")).unwrap();
    let t = template(
        &mut s,
        TemplateChannel::Any,
        None,
        "Chào anh {{customer.given_name}} ({{customer.name}}, {{customer.phone}}) ở {{customer.company}}.\n\
         Sinh nhật {{customer.birthday}}, hôm nay {{today}}. Giá {{vnd 1500000}}, {{default customer.email \"chưa có email\"}}.\n\
         {{date \"2026-12-01\"}} — {{me.name}}",
    );
    let r = s.render_template(&t, &id, false, TODAY).unwrap();
    assert_eq!(r.missing, Vec::<String>::new());
    assert_eq!(
        r.text,
        "Chào anh Đức (Nguyễn Văn Đức, 0912 345 678) ở Cửa hàng Minh Phát.\n\
         Sinh nhật 17/05/1990, hôm nay 21/09/2026. Giá 1.500.000 ₫, chưa có email.\n\
         01/12/2026 — Trần Thị Lan"
    );
}

#[test]
fn vnd_formats_like_vietnamese_prices() {
    for (n, text) in [
        (0.0, "0 ₫"),
        (999.0, "999 ₫"),
        (1000.0, "1.000 ₫"),
        (1_500_000.0, "1.500.000 ₫"),
        (-25_000.0, "-25.000 ₫"),
        (1234.6, "1.235 ₫"),
    ] {
        assert_eq!(templates::format_vnd(n), text);
    }
}

#[test]
fn missing_variables_are_named_and_block_the_send() {
    let mut s = store();
    let id = customer(&mut s, "Lê Thị Hoa", |c| {
        c.telegram_id = Some("555".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Telegram,
        None,
        "Chị {{customer.given_name}}, email {{customer.email}}, công ty {{customer.company}}",
    );
    let r = s.render_template(&t, &id, false, TODAY).unwrap();
    assert_eq!(r.missing, ["customer.email", "customer.company"]);
    assert!(
        r.text.contains("[customer.email]"),
        "the preview marks the hole: {}",
        r.text
    );
    let err = s
        .compose(
            &ComposeRequest {
                customer_id: id,
                template_id: t,
                channel: SendChannel::Telegram,
                idempotency_key: "k1".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.field_name(), Some("template"));
    assert!(err.to_string().contains("{{customer.email}}"), "{err}");
    assert_eq!(
        s.list_outbox(&OutboxQuery::default()).unwrap().total,
        0,
        "nothing queued"
    );
}

#[test]
fn syntax_errors_name_line_and_column() {
    let mut s = store();
    let err = s
        .create_template(
            &TemplateInput {
                name: "Hỏng".into(),
                body: "Dòng một\nChào {{customer.name".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(err.field_name(), Some("body"));
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(err.to_string().contains("column"), "{err}");
    assert!(s.list_templates(&Default::default()).unwrap().is_empty());
}

#[test]
fn email_html_escapes_customer_values_and_text_does_not() {
    let mut s = store();
    let id = customer(&mut s, "Bảo <script>alert(1)</script> & Co", |c| {
        c.email = Some("bao@example.vn".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Email,
        Some("Chào {{customer.name}}"),
        "Xin chào {{customer.name}}",
    );
    let r = s.render_template(&t, &id, true, TODAY).unwrap();
    assert_eq!(r.text, "Xin chào Bảo <script>alert(1)</script> & Co");
    let html = r.html.unwrap();
    assert!(
        html.contains("Bảo &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    assert_eq!(
        r.subject.as_deref(),
        Some("Chào Bảo <script>alert(1)</script> & Co")
    );
}

#[test]
fn templates_list_by_use_and_filter() {
    let mut s = store();
    let a = template(&mut s, TemplateChannel::Telegram, None, "A");
    let _b = template(&mut s, TemplateChannel::Email, None, "B");
    let any = template(&mut s, TemplateChannel::Any, None, "C");
    let id = customer(&mut s, "Phan Vy", |c| c.telegram_id = Some("42".into()));
    let m = s
        .compose(
            &ComposeRequest {
                customer_id: id,
                template_id: any.clone(),
                channel: SendChannel::Telegram,
                idempotency_key: "x".into(),
            },
            TODAY,
            NOW,
        )
        .unwrap();
    s.connection()
        .execute(
            "UPDATE outbox SET status = 'sending' WHERE id = ?1",
            [&m.id],
        )
        .unwrap();
    s.mark_sent(&m.id, None, NOW).unwrap();
    let tg = s
        .list_templates(&templates::TemplateFilter {
            channel: Some(TemplateChannel::Telegram),
            category: None,
        })
        .unwrap();
    let ids: Vec<_> = tg.iter().map(|t| t.id.clone()).collect();
    assert_eq!(
        ids,
        [any.clone(), a],
        "telegram and any templates, most used first"
    );
    assert_eq!(tg[0].usage_count, 1);
    let copy = s.duplicate_template(&any, "(bản sao)", NOW).unwrap();
    assert_eq!(copy.usage_count, 0);
    assert!(copy.name.ends_with("(bản sao)"));
}

#[test]
fn helpers_escape_customer_values_in_the_html_part() {
    let mut s = store();
    let markup = "<a href=https://evil.example>x</a>";
    let id = customer(&mut s, "Bảo", |c| {
        c.email = Some("bao@example.vn".into());
        c.company_name = Some(markup.into());
        c.birthday = None;
    });
    // Every helper, each given the customer's markup as its value.
    let t = template(
        &mut s,
        TemplateChannel::Email,
        None,
        "{{default customer.company \"quý khách\"}}|{{date customer.company}}|{{default customer.address customer.company}}",
    );
    let r = s.render_template(&t, &id, true, TODAY).unwrap();
    let html = r.html.unwrap();
    assert!(
        !html.contains("<a href"),
        "helper output must be escaped: {html}"
    );
    assert!(html.contains("&lt;a href"), "{html}");
    // The plain-text part keeps the value as typed.
    assert!(r.text.starts_with(markup), "{}", r.text);
}

#[test]
fn partials_that_include_each_other_are_refused_at_save_and_never_overflow_a_render() {
    let mut s = store();
    let save = |s: &mut tend_core::Store, subject: Option<&str>, body: &str| {
        s.create_template(
            &TemplateInput {
                name: "Vòng lặp".into(),
                channel: TemplateChannel::Email,
                subject: subject.map(String::from),
                body: body.into(),
                ..Default::default()
            },
            NOW,
        )
    };
    let cases = [
        // a → b → a
        (
            r#"{{#*inline "a"}}A{{> b}}{{/inline}}{{#*inline "b"}}B{{> a}}{{/inline}}{{> a}}"#,
            "template.partial_cycle",
        ),
        // The template including itself (it is registered as "t").
        ("Chào {{> t}}", "template.partial_cycle"),
        // Inside a block, the cycle is still found.
        (
            r#"{{#*inline "a"}}{{#if customer.name}}{{> a}}{{/if}}{{/inline}}{{> a}}"#,
            "template.partial_cycle",
        ),
        ("Chào {{> chu_ky}}", "template.partial_unknown"),
        (
            "Chào {{> (lookup customer \"name\")}}",
            "template.partial_dynamic",
        ),
    ];
    for (body, key) in cases {
        let err = save(&mut s, None, body).unwrap_err();
        assert_eq!(err.key(), key, "{body}");
        assert_eq!(err.field_name(), Some("body"), "{body}");
        // The preview of an unsaved draft says the same, rather than overflowing the stack.
        let c = customer(&mut s, "Lê Văn Tám", |_| {});
        assert_eq!(
            s.render_draft(None, body, &c, true, TODAY)
                .unwrap_err()
                .key(),
            key,
            "{body}"
        );
    }
    let err = save(&mut s, Some("{{> t}}"), "Chào").unwrap_err();
    assert_eq!(err.field_name(), Some("subject"));
    assert!(s.list_templates(&Default::default()).unwrap().is_empty());

    // Partials that do not loop are fine.
    let ok = save(
        &mut s,
        None,
        r#"{{#*inline "ky"}}Lan, Hoa Sen{{/inline}}Chào {{customer.given_name}}. {{> ky}}"#,
    )
    .unwrap();
    let c = customer(&mut s, "Nguyễn Văn Đức", |_| {});
    let r = s.render_template(&ok.id, &c, false, TODAY).unwrap();
    assert_eq!(r.text, "Chào Đức. Lan, Hoa Sen");
}

#[test]
fn my_own_details_come_from_settings_and_their_absence_is_blamed_on_settings() {
    let mut s = store();
    let c = customer(&mut s, "Nguyễn Văn Đức", |i| {
        i.telegram_id = Some("42".into())
    });
    let t = template(
        &mut s,
        TemplateChannel::Telegram,
        None,
        "Chào anh {{customer.given_name}}, em là {{me.name}} ({{me.phone}})",
    );
    let req = ComposeRequest {
        customer_id: c.clone(),
        template_id: t.clone(),
        channel: SendChannel::Telegram,
        idempotency_key: "me-1".into(),
    };
    let err = s.compose(&req, TODAY, NOW).unwrap_err();
    assert_eq!(err.key(), "send.my_details_missing");
    assert_eq!(err.field_name(), Some("settings"));
    assert!(
        !err.to_string().contains("Nguyễn Văn Đức"),
        "not the customer's fault: {err}"
    );

    let bad = s.save_channel_settings(&tend_core::messaging::channels::ChannelSettings {
        my_phone: Some("12345".into()),
        ..Default::default()
    });
    assert_eq!(bad.unwrap_err().field_name(), Some("my_phone"));
    s.save_channel_settings(&tend_core::messaging::channels::ChannelSettings {
        my_name: Some("Lan".into()),
        my_phone: Some("0903123456".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        s.channel_settings().unwrap().my_phone.as_deref(),
        Some("0903 123 456")
    );
    let m = s.compose(&req, TODAY, NOW).unwrap();
    assert_eq!(m.body_text, "Chào anh Đức, em là Lan (0903 123 456)");
}

#[test]
fn a_misspelt_variable_is_refused_at_save_with_the_closest_name() {
    let mut s = store();
    let save = |s: &mut tend_core::Store, body: &str| {
        s.create_template(
            &TemplateInput {
                name: "Chào".into(),
                body: body.into(),
                ..Default::default()
            },
            NOW,
        )
    };
    let err = save(&mut s, "Chào {{customer.nam}}").unwrap_err();
    assert_eq!(err.key(), "template.unknown_variable");
    assert_eq!(err.field_name(), Some("body"));
    assert!(err.to_string().contains("customer.name"), "{err}");
    // Inside helpers and blocks too.
    let err = save(&mut s, "{{#if customer.compnay}}x{{/if}}").unwrap_err();
    assert!(err.to_string().contains("customer.company"), "{err}");
    let err = save(&mut s, "{{default me.nmae \"em\"}}").unwrap_err();
    assert!(err.to_string().contains("me.name"), "{err}");
    let err = save(&mut s, "{{xyz}}").unwrap_err();
    assert_eq!(err.key(), "template.unknown_variable_no_suggestion");
    // Real names, helpers and literals are fine.
    save(
        &mut s,
        "Chào {{customer.given_name}}, {{default customer.company \"quý khách\"}} {{vnd 1500000}} {{date today}} {{me.phone}}",
    )
    .unwrap();
}
