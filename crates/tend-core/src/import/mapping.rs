//! Proposing a field for each column from its header: Vietnamese and English names, with or
//! without diacritics, and the headers of a Google Contacts export ("Phone 1 - Value").

use crate::base::fold;
use crate::import::model::{ImportColumn, ImportField, ImportOpened, Table};

/// Known headers, folded (lower case, no diacritics, words separated by one space, numbers
/// and Google's "value" left out).
const HEADERS: &[(ImportField, &[&str])] = &[
    (
        ImportField::FullName,
        &[
            "ho va ten",
            "ho ten",
            "ten khach hang",
            "ho ten khach hang",
            "khach hang",
            "ten day du",
            "ten kh",
            "ho ten kh",
            "ten lien he",
            "nguoi lien he",
            "full name",
            "name",
            "display name",
            "contact name",
            "customer name",
            "customer",
        ],
    ),
    (
        ImportField::FamilyName,
        &["ho", "family name", "last name", "surname"],
    ),
    (
        ImportField::MiddleName,
        &["ten dem", "ten lot", "middle name", "additional name"],
    ),
    (ImportField::GivenName, &["ten", "given name", "first name"]),
    (
        ImportField::Phone,
        &[
            "sdt",
            "so dien thoai",
            "dien thoai",
            "di dong",
            "so di dong",
            "dt",
            "so dt",
            "dien thoai di dong",
            "dien thoai co dinh",
            "dien thoai co quan",
            "dien thoai nha",
            "dien thoai ban",
            "dt co quan",
            "dt nha",
            "dt di dong",
            "dtdd",
            "sdt lien he",
            "phone",
            "phone number",
            "mobile",
            "mobile phone",
            "telephone",
            "tel",
            "cell",
            "work phone",
            "home phone",
        ],
    ),
    (
        ImportField::Email,
        &[
            "email",
            "e mail",
            "thu dien tu",
            "mail",
            "dia chi email",
            "email address",
        ],
    ),
    (
        ImportField::Company,
        &[
            "cong ty",
            "ten cong ty",
            "don vi",
            "to chuc",
            "doanh nghiep",
            "company",
            "company name",
            "organization",
            "organization name",
            "organisation",
        ],
    ),
    (
        ImportField::Address,
        &[
            "dia chi",
            "address",
            "address formatted",
            "home address",
            "dia chi lien he",
        ],
    ),
    (
        ImportField::Birthday,
        &[
            "ngay sinh",
            "sinh nhat",
            "ngay thang nam sinh",
            "birthday",
            "date of birth",
            "dob",
        ],
    ),
    (
        ImportField::Notes,
        &["ghi chu", "mo ta", "note", "notes", "comment", "comments"],
    ),
    (
        ImportField::Tags,
        &[
            "nhan",
            "the",
            "tag",
            "tags",
            "nhom",
            "phan loai",
            "labels",
            "label",
            "group membership",
            "groups",
            "categories",
        ],
    ),
    (
        ImportField::Zalo,
        &["zalo", "so zalo", "sdt zalo", "zalo phone"],
    ),
    (
        ImportField::Source,
        &[
            "nguon",
            "nguon khach",
            "nguon khach hang",
            "source",
            "lead source",
        ],
    ),
];

/// The field a header names, or `Skip`.
pub fn field_for_header(header: &str) -> ImportField {
    let words: Vec<String> = fold::fold(header)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    // Google writes "Phone 1 - Label" beside "Phone 1 - Value": the label column is not a value.
    let numbered = words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    if numbered && words.iter().any(|w| w == "label" || w == "type") {
        return ImportField::Skip;
    }
    let key = words
        .iter()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit()) && *w != "value")
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    HEADERS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(field, _)| *field)
        .unwrap_or(ImportField::Skip)
}

/// The proposed mapping: each column's field from its header; a field that takes one column
/// keeps its first and the others are skipped.
pub fn propose(table: &Table) -> Vec<ImportField> {
    let mut taken: Vec<ImportField> = Vec::new();
    table
        .headers
        .iter()
        .map(|h| {
            let field = field_for_header(h);
            if field == ImportField::Skip || field.repeats() || !taken.contains(&field) {
                taken.push(field);
                field
            } else {
                ImportField::Skip
            }
        })
        .collect()
}

/// What the import screen shows of a file it has just read.
pub fn opened(table: &Table) -> ImportOpened {
    let mapping = propose(table);
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| ImportColumn {
            index: i as u32,
            header: header.clone(),
            field: mapping[i],
            samples: table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .filter(|c| !c.trim().is_empty())
                .take(3)
                .cloned()
                .collect(),
        })
        .collect();
    ImportOpened {
        file_name: table.file_name.clone(),
        format: table.format,
        encoding: table.encoding.clone(),
        row_count: table.rows.len() as u32,
        header_line: table.header_line,
        columns,
        default_tag: default_tag(&table.file_name),
    }
}

/// "Nhập từ <file name>": the tag everyone an import creates gets unless the user changes it.
pub fn default_tag(file_name: &str) -> String {
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file_name.to_string());
    format!("Nhập từ {stem}")
}

/// Resolves a command-line `--map COLUMN=FIELD`: the column by header (as written or folded),
/// by number from 1, or by spreadsheet letter.
pub fn column_index(table: &Table, column: &str) -> Option<usize> {
    let wanted = fold::fold(column.trim());
    if let Some(i) = table
        .headers
        .iter()
        .position(|h| fold::fold(h.trim()) == wanted)
    {
        return Some(i);
    }
    if let Ok(n) = column.trim().parse::<usize>() {
        return (1..=table.headers.len()).contains(&n).then(|| n - 1);
    }
    let letters = column.trim();
    if !letters.is_empty() && letters.len() <= 2 && letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        let n = letters
            .to_ascii_uppercase()
            .bytes()
            .fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize);
        return (1..=table.headers.len()).contains(&n).then(|| n - 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_english_and_google_headers() {
        let cases = [
            ("Họ và tên", ImportField::FullName),
            ("HO TEN", ImportField::FullName),
            ("Tên khách hàng", ImportField::FullName),
            ("SĐT", ImportField::Phone),
            ("Số điện thoại", ImportField::Phone),
            ("Di động", ImportField::Phone),
            ("Điện thoại", ImportField::Phone),
            ("SĐT 2", ImportField::Phone),
            ("Phone 1 - Value", ImportField::Phone),
            ("Phone 1 - Label", ImportField::Skip),
            ("E-mail 1 - Value", ImportField::Email),
            ("Organization Name", ImportField::Company),
            ("Organization 1 - Name", ImportField::Company),
            ("Địa chỉ", ImportField::Address),
            ("Ngày sinh", ImportField::Birthday),
            ("Ghi chú", ImportField::Notes),
            ("Nhãn", ImportField::Tags),
            ("Labels", ImportField::Tags),
            ("Group Membership", ImportField::Tags),
            ("Zalo", ImportField::Zalo),
            ("Nguồn", ImportField::Source),
            ("Given Name", ImportField::GivenName),
            ("Family Name", ImportField::FamilyName),
            ("STT", ImportField::Skip),
        ];
        for (header, field) in cases {
            assert_eq!(field_for_header(header), field, "{header}");
        }
    }
}
