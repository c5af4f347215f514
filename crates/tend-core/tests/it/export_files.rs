//! Exports: every format goes out and comes back in as the same customers (phones, emails,
//! tags, birthdays, notes); the filter by tag; the calendar; interactions.

use tend_core::crm::customers::{CustomerInput, PhoneInput};
use tend_core::export::model::{ExportFormat, ExportRequest, ExportWhat};
use tend_core::import::mapping;
use tend_core::import::model::ImportOptions;
use tend_core::import::source::read_path;
use tend_core::Store;

use crate::support::crm::*;
use crate::support::{store, NOW};

/// What a round trip must keep of a customer.
type Kept = (
    String,
    Vec<String>,
    Option<String>,
    Vec<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn kept(s: &Store) -> Vec<Kept> {
    let mut out: Vec<Kept> = every_customer(s)
        .into_iter()
        .map(|c| {
            let mut tags: Vec<String> = c.tags.into_iter().map(|t| t.name).collect();
            tags.sort();
            (
                c.full_name,
                c.phones.into_iter().map(|p| p.number).collect(),
                c.email,
                tags,
                c.birthday,
                c.notes,
                c.company_name,
            )
        })
        .collect();
    out.sort();
    out
}

fn book() -> Store {
    let mut s = store();
    let people = [
        (
            "Nguyễn Văn An",
            vec!["0912 345 678", "028 3822 1234"],
            Some("an@example.vn"),
            vec!["VIP", "Hà Nội"],
            Some("1985-03-09"),
            Some("Gọi buổi sáng, trước 10 giờ\nCó hai cửa hàng; một ở Q.3"),
            Some("Công ty An, Bình & Cộng sự"),
        ),
        (
            "Trần Thị Bích",
            vec!["0987 654 321"],
            None,
            vec!["Hà Nội"],
            None,
            None,
            None,
        ),
        (
            "Lê Cường",
            vec![],
            Some("cuong@example.vn"),
            vec![],
            Some("1990-12-31"),
            Some("“Khách khó tính”"),
            None,
        ),
    ];
    for (name, phones, email, tags, birthday, notes, company) in people {
        let input = CustomerInput {
            full_name: name.into(),
            phones: phones
                .into_iter()
                .map(|p| PhoneInput {
                    number: p.into(),
                    label: None,
                })
                .collect(),
            email: email.map(Into::into),
            tags: tags.into_iter().map(Into::into).collect(),
            birthday: birthday.map(Into::into),
            notes: notes.map(Into::into),
            company_name: company.map(Into::into),
            ..Default::default()
        };
        s.create_customer(&input, false, NOW).unwrap();
    }
    s
}

fn round_trip(format: ExportFormat) {
    let dir = tempfile::tempdir().unwrap();
    let from = book();
    let file = dir.path().join(format!("book.{}", format.extension()));
    let summary = from
        .export(
            &ExportRequest {
                format,
                ..Default::default()
            },
            &file,
            NOW,
        )
        .unwrap();
    assert_eq!(summary.count, 3);
    let table = read_path(&file, None).unwrap();
    let mut to = store();
    let opts = ImportOptions {
        mapping: mapping::propose(&table),
        ..Default::default()
    };
    let report = to.import_dry_run(&table, &opts).unwrap();
    assert_eq!(
        (report.new_count, report.invalid_count),
        (3, 0),
        "{format:?}: {:?}",
        report.invalid
    );
    to.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    assert_eq!(kept(&to), kept(&from), "{format:?}");
}

#[test]
fn xlsx_goes_out_and_comes_back_the_same() {
    round_trip(ExportFormat::Xlsx);
}

#[test]
fn csv_goes_out_and_comes_back_the_same() {
    round_trip(ExportFormat::Csv);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.csv");
    book()
        .export(
            &ExportRequest {
                format: ExportFormat::Csv,
                ..Default::default()
            },
            &file,
            NOW,
        )
        .unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM, so Excel reads UTF-8"
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("09/03/1985"),
        "dates as a Vietnamese user reads them"
    );
    assert!(
        text.contains("0912 345 678"),
        "phones as text, so Excel keeps the 0"
    );
}

#[test]
fn vcf_goes_out_and_comes_back_the_same() {
    round_trip(ExportFormat::Vcf);
}

#[test]
fn a_tag_filters_the_export_and_an_unknown_tag_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let s = book();
    let file = dir.path().join("hn.vcf");
    let req = ExportRequest {
        format: ExportFormat::Vcf,
        tag_name: Some("hà nội".into()),
        ..Default::default()
    };
    assert_eq!(s.export(&req, &file, NOW).unwrap().count, 2);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("FN:Nguyễn Văn An\r\n") && !text.contains("Lê Cường"));
    assert!(
        text.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    let req = ExportRequest {
        tag_name: Some("Không có".into()),
        ..req
    };
    assert_eq!(
        s.export(&req, &file, NOW).unwrap_err().key(),
        "export.unknown_tag"
    );
}

#[test]
fn the_calendar_has_open_tasks_and_birthdays() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = book();
    let an = s.search_customers("Nguyễn Văn An", 1).unwrap()[0]
        .id
        .clone();
    let mut i = call(&an, NOW - 3_600_000);
    i.next_action = Some("Gửi báo giá".into());
    i.next_action_date = Some(NOW + 86_400_000);
    s.log_interaction(&i, NOW).unwrap();
    let file = dir.path().join("lich.ics");
    let summary = s
        .export(
            &ExportRequest {
                format: ExportFormat::Ics,
                ..Default::default()
            },
            &file,
            NOW,
        )
        .unwrap();
    assert_eq!(summary.count, 3, "one task and two birthdays");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(text.contains("SUMMARY:Gửi báo giá – Nguyễn Văn An (+84912345678)"));
    assert!(text.contains("DTSTART;VALUE=DATE:19901231\r\nRRULE:FREQ=YEARLY"));
    assert!(text.contains("DTSTART;VALUE=DATE:19850309\r\nRRULE:FREQ=YEARLY"));
}

#[test]
fn interactions_of_the_filtered_customers() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = book();
    let bich = s.search_customers("Trần Thị Bích", 1).unwrap()[0]
        .id
        .clone();
    s.log_interaction(&call(&bich, NOW - 60_000), NOW).unwrap();
    let file = dir.path().join("tuong-tac.csv");
    let req = ExportRequest {
        format: ExportFormat::Csv,
        what: ExportWhat::Interactions,
        tag_name: Some("Hà Nội".into()),
        ..Default::default()
    };
    assert_eq!(s.export(&req, &file, NOW).unwrap().count, 1);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("Trần Thị Bích") && text.contains("Cuộc gọi"),
        "{text}"
    );
}
