//! Zalo template messages to a phone (ZNS / ZBS) against the fake business API.

use std::collections::BTreeMap;

use tend_core::messaging::channels::zalo_template::Quota;
use tend_core::messaging::channels::{secret, Delivery};
use tend_core::messaging::outbox::ErrorHint;
use tend_core::messaging::secrets::SecretStore;
use tend_fakes::zalo::{FakeTemplate, FakeZalo};

use crate::messaging_channels::{zalo_client, zalo_secrets};

fn data(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn hint(d: Delivery) -> Option<ErrorHint> {
    match d {
        Delivery::Failed { hint, .. } => hint,
        other => panic!("a permanent failure: {other:?}"),
    }
}

#[test]
fn a_template_goes_to_a_phone_with_its_values_and_each_refusal_is_classified() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    z.add_template(FakeTemplate::approved(
        "231456",
        "Chăm sóc sau mua",
        &[("customer_name", 30), ("order_code", 20)],
    ));
    let secrets = zalo_secrets("a", "r");
    let oa = zalo_client(&z, secrets.clone()).with_business_api(&z.base());
    let values = data(&[("customer_name", "Trần Thị Lan"), ("order_code", "DH-1024")]);

    let sent = oa.send_template("+84912345678", "231456", &values, "out-1");
    let msg_id = z.template_sent()[0].msg_id.clone();
    assert_eq!(
        sent.delivery,
        Delivery::Sent {
            provider_id: Some(msg_id)
        }
    );
    assert_eq!(
        sent.quota,
        Some(Quota {
            daily: 500,
            remaining: 499
        })
    );
    let got = &z.template_sent()[0];
    assert_eq!(got.phone, "84912345678", "Zalo's form of the number");
    assert_eq!(got.tracking_id.as_deref(), Some("out-1"));
    assert_eq!(got.data["customer_name"], "Trần Thị Lan");

    // The token expired: refreshed once, sent once.
    z.expire_access_token();
    assert!(matches!(
        oa.send_template("84912345678", "231456", &values, "out-2")
            .delivery,
        Delivery::Sent { .. }
    ));
    assert_eq!(
        secrets.get(secret::ZALO_ACCESS_TOKEN).unwrap().as_deref(),
        Some("access-1")
    );

    let bad = oa.send_template("8491234", "231456", &values, "x").delivery;
    assert_eq!(hint(bad), Some(ErrorHint::AddRecipient));
    let unknown = oa
        .send_template("84912345678", "999", &values, "x")
        .delivery;
    assert_eq!(hint(unknown), Some(ErrorHint::CheckSettings));
    let missing = oa
        .send_template(
            "84912345678",
            "231456",
            &data(&[("customer_name", "Lan")]),
            "x",
        )
        .delivery;
    assert_eq!(hint(missing), Some(ErrorHint::CheckSettings));
    let long = oa
        .send_template(
            "84912345678",
            "231456",
            &data(&[("customer_name", &"Lan ".repeat(10)), ("order_code", "1")]),
            "x",
        )
        .delivery;
    assert_eq!(hint(long), Some(ErrorHint::CheckSettings));
    z.state
        .lock()
        .unwrap()
        .phones_without_zalo
        .insert("84900000001".into());
    let no_zalo = oa
        .send_template("84900000001", "231456", &values, "x")
        .delivery;
    assert_eq!(hint(no_zalo), Some(ErrorHint::AddRecipient));
    z.state
        .lock()
        .unwrap()
        .phones_refusing
        .insert("84900000002".into());
    let refuses = oa
        .send_template("84900000002", "231456", &values, "x")
        .delivery;
    assert_eq!(hint(refuses), Some(ErrorHint::UsePersonalZalo));
    z.state.lock().unwrap().quota_remaining = Some(0);
    assert!(matches!(
        oa.send_template("84912345678", "231456", &values, "x")
            .delivery,
        Delivery::Retry {
            after_ms: Some(_),
            ..
        }
    ));
    assert_eq!(
        z.template_sent().len(),
        2,
        "no refused send delivered anything"
    );
}

#[test]
fn the_oas_templates_their_parameters_price_and_quota_are_read() {
    let z = FakeZalo::start("app1", "sk", "a", "r").unwrap();
    z.add_template(FakeTemplate::approved(
        "231456",
        "Chăm sóc",
        &[("customer_name", 30)],
    ));
    let mut pending = FakeTemplate::approved("231457", "Khuyến mãi", &[("voucher", 12)]);
    pending.status = "PENDING_REVIEW".into();
    z.add_template(pending);
    let oa = zalo_client(&z, zalo_secrets("a", "r")).with_business_api(&z.base());
    let list = oa.templates().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0].id.as_str(), list[0].status.as_str()),
        ("231456", "ENABLE")
    );
    assert_eq!(list[1].status, "PENDING_REVIEW");
    let info = oa.template_info("231456").unwrap();
    assert_eq!(info.price_vnd, Some(200));
    assert_eq!(info.params.len(), 1);
    assert_eq!(info.params[0].name, "customer_name");
    assert_eq!(info.params[0].max_length, Some(30));
    assert!(info.params[0].required);
    assert!(oa.template_info("404").is_err());
    assert_eq!(
        oa.quota().unwrap(),
        Quota {
            daily: 500,
            remaining: 500
        }
    );
}
