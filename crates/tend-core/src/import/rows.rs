//! A row of the file as a customer: the mapped cells gathered into the customer form's input,
//! with the conversions files need (several phones in a cell, dates as `dd/mm/yyyy`,
//! `yyyy-mm-dd` or Excel serial numbers, Google's label lists).

use chrono::{Datelike, NaiveDate};

use crate::base::error::{Error, Result};
use crate::crm::customers::model::{CustomerInput, PhoneInput};
use crate::import::model::{ImportField, SourceRow};

/// The customer input of a row, before validation. Errors are the row's own (a bad date); the
/// customer's validation (name, phones, email) runs after.
pub fn row_input(mapping: &[ImportField], row: &SourceRow) -> Result<CustomerInput> {
    let mut input = CustomerInput::default();
    let (mut family, mut middle, mut given) = (String::new(), String::new(), String::new());
    let mut notes: Vec<String> = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let field = mapping.get(i).copied().unwrap_or(ImportField::Skip);
        let cell = cell.trim();
        if cell.is_empty() || field == ImportField::Skip {
            continue;
        }
        let set = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = Some(cell.to_string());
            }
        };
        match field {
            ImportField::Skip => {}
            ImportField::FullName => input.full_name = cell.to_string(),
            ImportField::FamilyName => family = cell.to_string(),
            ImportField::MiddleName => middle = cell.to_string(),
            ImportField::GivenName => given = cell.to_string(),
            ImportField::Phone => {
                for number in split_phones(cell) {
                    input.phones.push(PhoneInput {
                        number,
                        label: None,
                    });
                }
            }
            ImportField::Email => {
                // Google joins several addresses with " ::: "; the first is the customer's.
                let first = cell.split(":::").next().unwrap_or(cell).trim();
                if input.email.is_none() {
                    input.email = Some(first.to_string());
                }
            }
            ImportField::Company => set(&mut input.company_name),
            ImportField::Address => set(&mut input.address),
            ImportField::Birthday => match parse_date(cell) {
                Some(DateCell::Full(d)) => input.birthday = Some(d),
                // A birthday without a year (phones allow it) cannot be a date; keep it in
                // the notes rather than lose it.
                Some(DateCell::DayMonth(d, m)) => notes.push(format!("Sinh nhật: {d:02}/{m:02}")),
                None => {
                    return Err(Error::field(
                        "birthday",
                        "import.bad_date",
                        format!("“{cell}” is not a date (dd/mm/yyyy or yyyy-mm-dd)"),
                    )
                    .with("value", cell))
                }
            },
            ImportField::Notes => notes.push(cell.to_string()),
            ImportField::Tags => input.tags.extend(split_tags(cell)),
            ImportField::Zalo => set(&mut input.zalo_phone),
            ImportField::Source => set(&mut input.source),
        }
    }
    if input.full_name.trim().is_empty() {
        input.full_name = [family, middle, given]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
    }
    if !notes.is_empty() {
        input.notes = Some(notes.join("\n"));
    }
    let mut seen = Vec::new();
    input.tags.retain(|t| {
        let lower = t.to_lowercase();
        let fresh = !seen.contains(&lower);
        seen.push(lower);
        fresh
    });
    Ok(input)
}

/// The name cells of a row, to recognise an invalid row by.
pub fn row_name(mapping: &[ImportField], row: &SourceRow) -> String {
    row.cells
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !c.trim().is_empty()
                && matches!(
                    mapping.get(*i),
                    Some(
                        ImportField::FullName
                            | ImportField::FamilyName
                            | ImportField::MiddleName
                            | ImportField::GivenName
                    )
                )
        })
        .map(|(_, c)| c.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Several numbers in one cell: "0912 345 678 / 0987 654 321", "0912345678; 0987654321",
/// Google's " ::: ".
fn split_phones(cell: &str) -> Vec<String> {
    cell.split([',', ';', '/', '|', '\n'])
        .flat_map(|p| p.split(":::"))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Tags separated by commas or semicolons, or Google's "* myContacts ::: VIP", whose starred
/// system groups are not the user's labels.
fn split_tags(cell: &str) -> Vec<String> {
    cell.split([',', ';'])
        .flat_map(|p| p.split(":::"))
        .map(str::trim)
        .filter(|t| !t.is_empty() && !t.starts_with('*'))
        .map(str::to_string)
        .collect()
}

/// A date cell: a whole date, or a day and month without a year.
#[derive(Debug, PartialEq)]
pub enum DateCell {
    Full(String),
    DayMonth(u32, u32),
}

/// Reads `dd/mm/yyyy` (also with `-` or `.`, one-digit day and month), `yyyy-mm-dd`
/// (also `yyyymmdd` and ISO date-times), an Excel serial number, and the year-less `--mm-dd`
/// and `--mmdd` of vCards.
pub fn parse_date(cell: &str) -> Option<DateCell> {
    let s = cell.trim();
    if let Some(rest) = s.strip_prefix("--") {
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            let (m, d) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
            NaiveDate::from_ymd_opt(2000, m, d)?;
            return Some(DateCell::DayMonth(d, m));
        }
        return None;
    }
    let full = |d: NaiveDate| Some(DateCell::Full(d.format("%Y-%m-%d").to_string()));
    if s.chars().all(|c| c.is_ascii_digit()) {
        if s.len() == 8 {
            let d = NaiveDate::parse_from_str(s, "%Y%m%d").ok()?;
            return full(d);
        }
        // An Excel serial day: 1 is 1900-01-01; Excel counts a 29 February 1900 that did not
        // exist, so serials from 61 on are days since 1899-12-30.
        let n: i64 = s.parse().ok()?;
        if (61..=2_958_465).contains(&n) {
            let d = NaiveDate::from_ymd_opt(1899, 12, 30)?
                .checked_add_days(chrono::Days::new(n as u64))?;
            return full(d);
        }
        return None;
    }
    let date_part = s.split(['T', ' ']).next().unwrap_or(s);
    let parts: Vec<&str> = date_part.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let date = if parts[0].len() == 4 {
        NaiveDate::from_ymd_opt(nums[0] as i32, nums[1], nums[2])?
    } else if parts[2].len() == 4 {
        NaiveDate::from_ymd_opt(nums[2] as i32, nums[1], nums[0])?
    } else {
        return None;
    };
    if date.year() < 1900 {
        return None;
    }
    full(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_vietnamese_files_write_them() {
        let full = |s: &str| Some(DateCell::Full(s.to_string()));
        assert_eq!(parse_date("17/05/1990"), full("1990-05-17"));
        assert_eq!(parse_date("7/5/1990"), full("1990-05-07"));
        assert_eq!(parse_date("17-05-1990"), full("1990-05-17"));
        assert_eq!(parse_date("1990-05-17"), full("1990-05-17"));
        assert_eq!(parse_date("1990-05-17T00:00:00Z"), full("1990-05-17"));
        assert_eq!(parse_date("19900517"), full("1990-05-17"));
        assert_eq!(parse_date("33010"), full("1990-05-17"));
        assert_eq!(parse_date("--05-17"), Some(DateCell::DayMonth(17, 5)));
        assert_eq!(parse_date("31/02/1990"), None);
        assert_eq!(parse_date("05/17"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }

    #[test]
    fn phones_and_tags_in_one_cell() {
        assert_eq!(
            split_phones("0912 345 678 / 0987.654.321"),
            ["0912 345 678", "0987.654.321"]
        );
        assert_eq!(
            split_tags("* myContacts ::: Khách VIP ::: Hà Nội"),
            ["Khách VIP", "Hà Nội"]
        );
    }
}
