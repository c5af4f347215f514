//! Phone numbers: every form of one number, the renumbered prefixes, foreign and bad numbers.

use tend_core::base::phone;
use tend_core::ErrorCode;

#[test]
fn phone_forms_of_one_number_normalise_alike() {
    for raw in [
        "0912 345 678",
        "+84 912-345-678",
        "84912345678",
        "0912.345.678",
        "(+84) 912 345 678",
        "0084912345678",
        "912345678",
        "+84912345678",
    ] {
        assert_eq!(
            phone::normalize(raw).unwrap(),
            "+84912345678",
            "input {raw:?}"
        );
    }
}

#[test]
fn every_renumbered_prefix_maps_to_its_new_number() {
    let table = [
        ("0162", "032"),
        ("0163", "033"),
        ("0164", "034"),
        ("0165", "035"),
        ("0166", "036"),
        ("0167", "037"),
        ("0168", "038"),
        ("0169", "039"),
        ("0120", "070"),
        ("0121", "079"),
        ("0122", "077"),
        ("0126", "076"),
        ("0128", "078"),
        ("0123", "083"),
        ("0124", "084"),
        ("0125", "085"),
        ("0127", "081"),
        ("0129", "082"),
        ("0186", "056"),
        ("0188", "058"),
        ("0199", "059"),
    ];
    assert_eq!(table.len(), phone::RENUMBERED_PREFIXES.len());
    for (old, new) in table {
        let old_number = format!("{old}1234567");
        let expected = format!("+84{}1234567", &new[1..]);
        assert_eq!(
            phone::normalize(&old_number).unwrap(),
            expected,
            "{old_number}"
        );
        // The same old number written internationally maps too.
        let intl = format!("+84{}1234567", &old[1..]);
        assert_eq!(phone::normalize(&intl).unwrap(), expected, "{intl}");
    }
}

#[test]
fn foreign_and_landline_numbers() {
    assert_eq!(
        phone::normalize("+33 6 12 34 56 78").unwrap(),
        "+33612345678"
    );
    assert_eq!(
        phone::normalize("+1 (415) 555-2671").unwrap(),
        "+14155552671"
    );
    assert_eq!(phone::normalize("024 3826 4567").unwrap(), "+842438264567");
    assert_eq!(phone::normalize("1900 1234").unwrap(), "+8419001234");
}

#[test]
fn invalid_phones_are_field_errors() {
    for raw in [
        "",
        "12",
        "0912 345",
        "0912 345 6789 1",
        "abc",
        "091234567a",
        "0412345678",
        "+0912",
    ] {
        let e = phone::normalize(raw).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{raw:?}");
        assert_eq!(e.field_name(), Some("phone"), "{raw:?}");
    }
}
