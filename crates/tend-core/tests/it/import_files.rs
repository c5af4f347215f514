//! Imports from real-looking files (`tests/fixtures/import`, made by `make.py` the way Excel,
//! LibreOffice, phones and Google make them), bad files refused with their reason, the dry run's
//! findings, writing, and undo.

use std::path::PathBuf;

use tend_core::import::mapping;
use tend_core::import::model::{
    DuplicateChoice, ImportField, ImportFormat, ImportOptions, RowChoice, RowStatus, Table,
};
use tend_core::import::source::{read_bytes, read_path};
use tend_core::Store;

use crate::support::crm::*;
use crate::support::HOUR;
use crate::support::NOW;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import")
        .join(name)
}

fn read(name: &str) -> Table {
    read_path(&fixture(name), None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn options(table: &Table) -> ImportOptions {
    ImportOptions {
        mapping: mapping::propose(table),
        tag: Some(mapping::default_tag(&table.file_name)),
        ..Default::default()
    }
}

fn column(table: &Table, header: &str) -> usize {
    table.headers.iter().position(|h| h == header).unwrap()
}

fn find<'a>(
    book: &'a [tend_core::crm::customers::Customer],
    name: &str,
) -> &'a tend_core::crm::customers::Customer {
    book.iter()
        .find(|c| c.full_name == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn phones(c: &tend_core::crm::customers::Customer) -> Vec<&str> {
    c.phones.iter().map(|p| p.number.as_str()).collect()
}

fn tags(c: &tend_core::crm::customers::Customer) -> Vec<&str> {
    let mut t: Vec<&str> = c.tags.iter().map(|t| t.name.as_str()).collect();
    t.sort();
    t
}

/// The spreadsheets (xlsx with a merged title, xls, ods) hold the same six rows: four valid,
/// one with a bad phone, one without a name.
fn check_spreadsheet(name: &str, format: ImportFormat) {
    let table = read(name);
    assert_eq!(table.format, format, "{name}");
    let opts = options(&table);
    let m = &opts.mapping;
    assert_eq!(m[column(&table, "STT")], ImportField::Skip);
    assert_eq!(m[column(&table, "Họ và tên")], ImportField::FullName);
    for phone in ["SĐT", "Di động 2", "Điện thoại cơ quan"] {
        assert_eq!(
            m[column(&table, phone)],
            ImportField::Phone,
            "{name} {phone}"
        );
    }
    assert_eq!(m[column(&table, "Ngày sinh")], ImportField::Birthday);
    assert_eq!(m[column(&table, "Nhãn")], ImportField::Tags);
    let mut s = store();
    let report = s.import_dry_run(&table, &opts).unwrap();
    assert_eq!(
        (report.total, report.new_count, report.invalid_count),
        (6, 4, 2),
        "{name}"
    );
    let reasons: Vec<(String, String)> = report
        .invalid
        .iter()
        .map(|r| (r.name.clone(), r.error.key.clone()))
        .collect();
    assert_eq!(reasons[0].0, "Phạm Đức Dũng");
    assert!(reasons[0].1.starts_with("phone."), "{reasons:?}");
    assert_eq!(reasons[1].1, "customer.name_missing");
    s.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    let book = every_customer(&s);
    assert_eq!(book.len(), 4);
    let an = find(&book, "Nguyễn Văn An");
    assert_eq!(
        phones(an),
        ["+84912345678", "+84987654321"],
        "a phone typed as a number keeps working"
    );
    assert_eq!(an.birthday.as_deref(), Some("1985-03-09"));
    assert_eq!(an.company_name.as_deref(), Some("Công ty Hoà Bình"));
    let stem = name.rsplit_once('.').unwrap().0;
    assert_eq!(tags(an), ["Hà Nội", &format!("Nhập từ {stem}"), "VIP"]);
    assert_eq!(an.notes.as_deref(), Some("Thích gọi buổi sáng"));
    let bich = find(&book, "Trần Thị Bích");
    assert_eq!(
        phones(bich),
        ["+84395551234", "+842838221234"],
        "0169 is renumbered"
    );
    assert_eq!(bich.birthday.as_deref(), Some("1990-12-31"));
    assert_eq!(
        phones(find(&book, "Lê Hoàng Cường")),
        ["+84903111222"],
        "one number twice is one phone"
    );
}

#[test]
fn an_xlsx_with_a_merged_title_row_excel_dates_and_numeric_phones() {
    let table = read("merged-header.xlsx");
    assert_eq!(
        table.header_line, 3,
        "the merged title and the blank row are skipped"
    );
    assert_eq!(table.rows[0].line, 4);
    check_spreadsheet("merged-header.xlsx", ImportFormat::Xlsx);
}

#[test]
fn an_excel_97_workbook() {
    check_spreadsheet("old-excel.xls", ImportFormat::Xls);
}

#[test]
fn a_libreoffice_spreadsheet() {
    check_spreadsheet("libreoffice.ods", ImportFormat::Ods);
}

/// The CSV and "Unicode text" files hold the same rows as text.
fn check_text(name: &str, format: ImportFormat, encoding: &str) {
    let table = read(name);
    assert_eq!(table.format, format);
    assert_eq!(table.encoding.as_deref(), Some(encoding));
    assert_eq!(table.headers[0], "Họ tên");
    let mut s = store();
    let report = s.import_dry_run(&table, &options(&table)).unwrap();
    assert_eq!((report.new_count, report.invalid_count), (4, 2), "{name}");
    s.run_import(&table, &options(&table), NOW, &mut |_, _| true)
        .unwrap();
    let book = every_customer(&s);
    let ha = find(&book, "Đặng Thu Hà");
    assert_eq!(ha.birthday.as_deref(), Some("1979-07-01"));
    assert_eq!(ha.notes.as_deref(), Some("Hỏi về bảo hành"));
    assert_eq!(
        find(&book, "Trần Thị Bích").birthday.as_deref(),
        Some("1990-12-31")
    );
}

#[test]
fn a_windows_1258_csv_is_detected_and_composed() {
    check_text("windows-1258.csv", ImportFormat::Csv, "windows-1258");
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    check_text("excel-unicode.txt", ImportFormat::Tsv, "UTF-16LE");
}

#[test]
fn a_google_contacts_export_maps_without_manual_work() {
    let table = read("google-contacts.csv");
    let opts = options(&table);
    let field = |h: &str| opts.mapping[column(&table, h)];
    assert_eq!(field("First Name"), ImportField::GivenName);
    assert_eq!(field("Last Name"), ImportField::FamilyName);
    assert_eq!(field("Middle Name"), ImportField::MiddleName);
    assert_eq!(field("Phone 1 - Value"), ImportField::Phone);
    assert_eq!(field("Phone 1 - Label"), ImportField::Skip);
    assert_eq!(field("E-mail 1 - Value"), ImportField::Email);
    assert_eq!(field("Organization Name"), ImportField::Company);
    assert_eq!(field("Labels"), ImportField::Tags);
    let mut s = store();
    s.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    let book = every_customer(&s);
    let minh = find(&book, "Hoàng Văn Minh");
    assert_eq!(
        phones(minh),
        ["+84912000111", "+84912000222", "+842439334455"]
    );
    assert_eq!(minh.email.as_deref(), Some("minh.hoang@example.vn"));
    assert_eq!(minh.birthday.as_deref(), Some("1992-04-15"));
    assert_eq!(
        minh.address.as_deref(),
        Some("15 Hàng Bài, Hoàn Kiếm, Hà Nội")
    );
    assert_eq!(
        tags(minh),
        ["Khách VIP", "Nhập từ google-contacts"],
        "Google's own groups are left out"
    );
    let lan = find(&book, "Vũ Lan");
    assert_eq!(lan.birthday, None);
    assert_eq!(
        lan.notes.as_deref(),
        Some("Sinh nhật: 17/05"),
        "a birthday without a year is kept"
    );
}

#[test]
fn an_android_vcard_21_with_quoted_printable_vietnamese() {
    let table = read("android-2.1.vcf");
    assert_eq!(table.format, ImportFormat::Vcf);
    let mut s = store();
    s.run_import(&table, &options(&table), NOW, &mut |_, _| true)
        .unwrap();
    let book = every_customer(&s);
    let nhung = find(&book, "Nguyễn Thị Hồng Nhung");
    assert_eq!(phones(nhung), ["+84905123456", "+842838229999"]);
    assert_eq!(
        nhung.company_name.as_deref(),
        Some("Nhà thuốc Hồng Nhung, chi nhánh Quận 3")
    );
    assert_eq!(nhung.birthday.as_deref(), Some("1987-11-02"));
    assert_eq!(
        nhung.notes.as_deref(),
        Some("Khách giới thiệu từ chị Hà, cần gọi lại trước Tết"),
        "a soft line break inside a quoted-printable note is joined"
    );
    assert_eq!(phones(find(&book, "Bùi Quang Huy")), ["+84395551234"]);
}

#[test]
fn an_iphone_vcard_30_with_groups_and_folded_lines() {
    let table = read("iphone-3.0.vcf");
    let mut s = store();
    s.run_import(&table, &options(&table), NOW, &mut |_, _| true)
        .unwrap();
    let book = every_customer(&s);
    let linh = find(&book, "Trương Mỹ Linh");
    assert_eq!(phones(linh), ["+84987654321", "+84903222333"]);
    assert_eq!(linh.email.as_deref(), Some("linh.truong@example.vn"));
    assert_eq!(
        linh.address.as_deref(),
        Some("25 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội, Việt Nam")
    );
    assert_eq!(linh.birthday.as_deref(), Some("1991-06-20"));
    assert_eq!(
        linh.notes.as_deref(),
        Some("Đã mua gói năm 2025, muốn gia hạn. Liên hệ qua Zalo buổi tối\nSố cũ: 0903 222 333")
    );
    assert_eq!(tags(linh), ["Khách VIP", "Nhập từ iphone-3.0", "Đà Nẵng"]);
    assert_eq!(
        linh.company_name.as_deref(),
        Some("Công ty TNHH Thương mại Dịch vụ Linh Trương")
    );
    assert_eq!(phones(find(&book, "Anh Tuấn thợ điện")), ["+84912345678"]);
}

fn search_names(s: &Store, q: &str) -> Vec<String> {
    s.search_customers(q, 10)
        .unwrap()
        .into_iter()
        .map(|c| c.full_name)
        .collect()
}

fn key_of(result: tend_core::Result<Table>) -> String {
    result.map(|_| ()).unwrap_err().key()
}

#[test]
fn bad_files_are_refused_with_their_reason() {
    let xlsx = std::fs::read(fixture("merged-header.xlsx")).unwrap();
    assert_eq!(
        key_of(read_bytes("cut.xlsx", &xlsx[..xlsx.len() / 2], None)),
        "import.unreadable_spreadsheet",
        "a truncated zip"
    );
    assert_eq!(key_of(read_bytes("empty.csv", b"", None)), "import.empty");
    assert_eq!(
        key_of(read_bytes("blank.csv", b"\r\n \r\n", None)),
        "import.empty"
    );
    let noise: Vec<u8> = (0..1_048_576u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(
        key_of(read_bytes("noise.csv", &noise, None)),
        "import.not_text",
        "1 MB of binary"
    );
    let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02";
    assert_eq!(
        key_of(read_bytes("report.xlsx", pdf, None)),
        "import.not_text",
        "not a spreadsheet"
    );
    assert_eq!(
        key_of(read_bytes("notes.xlsx", "Họ tên\nAn".as_bytes(), None)),
        "import.not_a_spreadsheet"
    );
    let big = tempfile::NamedTempFile::new().unwrap();
    big.as_file().set_len(200 * 1024 * 1024).unwrap();
    let e = read_path(big.path(), None).map(|_| ()).unwrap_err();
    assert_eq!(
        e.key(),
        "import.too_large",
        "a 200 MB file is refused before it is read"
    );
    assert_eq!(e.param("size_mb").as_deref(), Some("200"));
    assert_eq!(
        key_of(read_bytes(
            "a.csv",
            "Họ tên\nAn".as_bytes(),
            Some("klingon")
        )),
        "import.unknown_encoding"
    );
}

#[test]
fn a_mapping_without_a_name_column_is_refused() {
    let table = read("windows-1258.csv");
    let mut opts = options(&table);
    opts.mapping[0] = ImportField::Skip;
    let e = store().import_dry_run(&table, &opts).unwrap_err();
    assert_eq!(e.key(), "import.no_name_column");
}

fn csv_table(text: &str) -> Table {
    read_bytes("book.csv", text.as_bytes(), None).unwrap()
}

#[test]
fn duplicates_of_the_book_by_renumbered_phone_or_email_and_inside_the_file() {
    let mut s = store();
    let kept = create(&mut s, "Trần Thị Bích", "+84395551234");
    let table = csv_table(
        "Họ tên,SĐT,Email,Công ty,Nhãn\n\
         Bích Trần,0169 555 1234,,Shop Bích,Khách cũ\n\
         Lê Văn Em,0911 222 333,em@example.vn,,\n\
         Em Lê,,EM@example.vn,Công ty Em,VIP\n\
         Ngô Gia,0922 333 444,,,\n",
    );
    let mut opts = options(&table);
    let report = s.import_dry_run(&table, &opts).unwrap();
    assert_eq!(
        (
            report.new_count,
            report.duplicate_count,
            report.duplicate_in_file_count
        ),
        (2, 1, 1)
    );
    let dup = &report.duplicates[0];
    assert_eq!(dup.status, RowStatus::Duplicate);
    assert_eq!(dup.duplicate_of.as_ref().unwrap().id, kept);
    assert_eq!(dup.duplicate_of.as_ref().unwrap().by, "phone");
    assert_eq!(
        report.duplicates[1].duplicate_of_line,
        Some(3),
        "matched by email, any case"
    );
    assert_eq!((report.to_create, report.to_skip), (2, 2));

    // Update: the stored customer's empty company and the tag are filled; the row inside the
    // file fills the earlier row. One row is created anyway by its own choice.
    opts.on_duplicate = DuplicateChoice::Update;
    opts.row_choices = vec![RowChoice {
        line: 5,
        choice: DuplicateChoice::Update,
    }];
    let summary = s.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.skipped),
        (2, 1, 0)
    );
    let book = every_customer(&s);
    assert_eq!(book.len(), 3);
    let bich = find(&book, "Trần Thị Bích");
    assert_eq!(bich.company_name.as_deref(), Some("Shop Bích"));
    assert_eq!(
        tags(bich),
        ["Khách cũ"],
        "the import's tag goes to created customers only"
    );
    let em = find(&book, "Lê Văn Em");
    assert_eq!(em.company_name.as_deref(), Some("Công ty Em"));
    assert_eq!(tags(em), ["Nhập từ book", "VIP"]);
}

#[test]
fn create_anyway_and_skip_per_row() {
    let mut s = store();
    create(&mut s, "An", "0901 000 001");
    create(&mut s, "Bình", "0901 000 002");
    let table = csv_table("Họ tên,SĐT\nAn mới,0901000001\nBình mới,0901000002\n");
    let mut opts = options(&table);
    opts.on_duplicate = DuplicateChoice::Create;
    opts.row_choices = vec![RowChoice {
        line: 3,
        choice: DuplicateChoice::Skip,
    }];
    let summary = s.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    assert_eq!((summary.created, summary.skipped), (1, 1));
    let names: Vec<String> = every_customer(&s)
        .into_iter()
        .map(|c| c.full_name)
        .collect();
    assert_eq!(names, ["An", "An mới", "Bình"]);
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let mut s = store();
    let mut text = String::from("Họ tên,SĐT\n");
    for i in 0..1200 {
        text.push_str(&format!("Khách {i},09{:08}\n", 10_000_000 + i));
    }
    let table = csv_table(&text);
    let mut calls = Vec::new();
    let e = s
        .run_import(&table, &options(&table), NOW, &mut |done, total| {
            calls.push((done, total));
            done < 1000
        })
        .unwrap_err();
    assert_eq!(e.key(), "import.cancelled");
    // Writing the rows is the first half of the work and indexing the new customers for search
    // the second, so the cancel came while indexing.
    assert_eq!(
        calls,
        [
            (0, 1200),
            (250, 1200),
            (500, 1200),
            (600, 1200),
            (850, 1200),
            (1100, 1200)
        ]
    );
    assert!(every_customer(&s).is_empty());
    assert!(s.list_imports().unwrap().is_empty());
    assert!(s.list_tags().unwrap().is_empty(), "no tag left behind");

    let mut calls = Vec::new();
    let summary = s
        .run_import(&table, &options(&table), NOW, &mut |done, total| {
            calls.push((done, total));
            true
        })
        .unwrap();
    assert_eq!(summary.created, 1200);
    assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0), "{calls:?}");
    assert_eq!(calls.last(), Some(&(1200, 1200)));
}

#[test]
fn undo_takes_an_import_back_completely() {
    let mut s = store();
    let kept = create(&mut s, "Trần Thị Bích", "+84395551234");
    let before = s.get_customer(&kept).unwrap();
    let table = csv_table(
        "Họ tên,SĐT,Email,Nhãn\nBích,0169 555 1234;0988 000 111,bich@example.vn,Khách cũ\nMới,0977 000 111,,\n",
    );
    let mut opts = options(&table);
    opts.on_duplicate = DuplicateChoice::Update;
    let summary = s.run_import(&table, &opts, NOW, &mut |_, _| true).unwrap();
    assert_eq!((summary.created, summary.updated), (1, 1));
    let filled = s.get_customer(&kept).unwrap();
    assert_eq!(phones(&filled), ["+84395551234", "+84988000111"]);
    assert_eq!(filled.email.as_deref(), Some("bich@example.vn"));
    assert_eq!(search_names(&s, "Mới"), ["Mới"]);

    let undone = s.undo_import(&summary.id, NOW + HOUR).unwrap();
    assert_eq!(undone.undone_at, Some(NOW + HOUR));
    let after = s.get_customer(&kept).unwrap();
    assert_eq!(phones(&after), phones(&before));
    assert_eq!(after.email, None);
    assert!(after.tags.is_empty());
    assert_eq!(every_customer(&s).len(), 1, "the created customer is gone");
    assert!(search_names(&s, "Mới").is_empty(), "and out of search");
    assert!(
        s.list_tags().unwrap().is_empty(),
        "the tags the import created are gone"
    );
    assert_eq!(
        s.undo_import(&summary.id, NOW).unwrap_err().key(),
        "import.already_undone"
    );
}
