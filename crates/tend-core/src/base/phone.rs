//! Phone numbers, normalised to E.164 with Vietnam as the default country.
//!
//! "0912 345 678", "+84 912-345-678" and "84912345678" are all +84912345678. The 11-digit mobile
//! numbers renumbered in 2018 (0162…, 0120…, …) are mapped to their new 10-digit form, so a
//! customer saved with an old number is still found and deduplicated. Numbers written with a
//! `+` and another country code are kept as they are (digits only).

use crate::base::error::{Error, Result};

/// The 2018 renumbering of 11-digit mobile prefixes: old national prefix (without the leading 0)
/// to new national prefix.
pub const RENUMBERED_PREFIXES: [(&str, &str); 21] = [
    ("162", "32"),
    ("163", "33"),
    ("164", "34"),
    ("165", "35"),
    ("166", "36"),
    ("167", "37"),
    ("168", "38"),
    ("169", "39"),
    ("120", "70"),
    ("121", "79"),
    ("122", "77"),
    ("126", "76"),
    ("128", "78"),
    ("123", "83"),
    ("124", "84"),
    ("125", "85"),
    ("127", "81"),
    ("129", "82"),
    ("186", "56"),
    ("188", "58"),
    ("199", "59"),
];

/// Normalises a phone number to E.164 ("+84912345678"). Errors name the field `phone`.
pub fn normalize(input: &str) -> Result<String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(invalid("phone.missing", "enter a phone number"));
    }
    let mut digits = String::with_capacity(trimmed.len());
    let mut plus = false;
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            // A + is allowed before the first digit, even inside brackets: "(+84) 912...".
            '+' if digits.is_empty() && !plus => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => {
                return Err(invalid(
                    "phone.bad_characters",
                    format!("“{trimmed}” is not a phone number: only digits, spaces, dashes, dots and a leading + are allowed"),
                )
                .with("value", trimmed))
            }
        }
    }
    if !plus && digits.starts_with("00") {
        // 00 is the international call prefix from Vietnam: 0084… or 0033….
        digits.drain(..2);
        plus = true;
    }
    let national = if plus {
        match digits.strip_prefix("84") {
            Some(rest) => rest.to_string(),
            None => return foreign(&digits, trimmed),
        }
    } else if let Some(rest) = digits.strip_prefix('0') {
        rest.to_string()
    } else if digits.starts_with("84") && (digits.len() == 11 || digits.len() == 12) {
        digits[2..].to_string()
    } else {
        digits.clone()
    };
    vietnamese(&national, trimmed)
}

fn vietnamese(national: &str, shown: &str) -> Result<String> {
    let national = renumber(national);
    let ok = match national.as_bytes() {
        // Mobile: 9 digits after the 0, starting 3, 5, 7, 8 or 9.
        [b'3' | b'5' | b'7' | b'8' | b'9', ..] => national.len() == 9,
        // Landline: 02xx plus a 7-digit subscriber number, 10 digits after the 0.
        [b'2', ..] => national.len() == 10,
        // Service numbers 1800/1900 with 4 or 6 more digits.
        [b'1', b'8' | b'9', b'0', b'0', ..] => national.len() == 8 || national.len() == 10,
        _ => false,
    };
    if ok {
        Ok(format!("+84{national}"))
    } else {
        Err(invalid(
            "phone.invalid_vietnamese",
            format!("“{shown}” is not a valid Vietnamese phone number (for example 0912 345 678)"),
        )
        .with("value", shown))
    }
}

fn foreign(digits: &str, shown: &str) -> Result<String> {
    if (7..=15).contains(&digits.len()) && !digits.starts_with('0') {
        Ok(format!("+{digits}"))
    } else {
        Err(invalid(
            "phone.invalid_international",
            format!("“{shown}” is not a valid international number: a + then 7 to 15 digits"),
        )
        .with("value", shown))
    }
}

fn renumber(national: &str) -> String {
    if national.len() == 10 {
        for (old, new) in RENUMBERED_PREFIXES.iter() {
            if let Some(rest) = national.strip_prefix(old) {
                return format!("{new}{rest}");
            }
        }
    }
    national.to_string()
}

fn invalid(key: &'static str, message: impl Into<String>) -> Error {
    Error::field("phone", key, message)
}

/// How a Vietnamese user reads a number: "0912 345 678" for a Vietnamese mobile, "024 3826 4567"
/// for a Hanoi landline, and the E.164 form for foreign numbers.
pub fn display(e164: &str) -> String {
    let Some(national) = e164.strip_prefix("+84") else {
        return e164.to_string();
    };
    let n = format!("0{national}");
    match n.len() {
        10 => format!("{} {} {}", &n[..4], &n[4..7], &n[7..]),
        11 => format!("{} {} {}", &n[..3], &n[3..7], &n[7..]),
        _ => n,
    }
}

/// The tokens that make any 4+ consecutive digits of the number findable by prefix search: every
/// suffix of the national form with its leading 0 (at least 4 digits long), and the full
/// international digits.
pub fn search_tokens(e164: &str) -> Vec<String> {
    let digits = e164.trim_start_matches('+');
    let local = match digits.strip_prefix("84") {
        Some(rest) => format!("0{rest}"),
        None => digits.to_string(),
    };
    let mut out: Vec<String> = (0..local.len().saturating_sub(3))
        .map(|i| local[i..].to_string())
        .collect();
    out.push(digits.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        assert_eq!(display("+84912345678"), "0912 345 678");
        assert_eq!(display("+842438264567"), "024 3826 4567");
        assert_eq!(display("+33612345678"), "+33612345678");
    }

    #[test]
    fn search_tokens_cover_suffixes() {
        let t = search_tokens("+84912345678");
        assert!(t.contains(&"0912345678".to_string()));
        assert!(t.contains(&"5678".to_string()));
        assert!(t.contains(&"84912345678".to_string()));
        assert!(!t.contains(&"678".to_string()));
    }
}
