//! vCard 2.1, 3.0 and 4.0 as phones write them: Android's 2.1 with quoted-printable UTF-8 and
//! soft line breaks, iPhone's 3.0 with `item1.` groups, 4.0's `tel:` values; folded lines,
//! several `TEL` per card. Each card becomes a row of a table with named columns, so a vCard
//! goes through the same mapping, preview and dry run as a spreadsheet.

use crate::base::error::{Error, Result};
use crate::import::model::SourceRow;

/// Whether decoded text is a vCard file.
pub fn looks_like_vcard(text: &str) -> bool {
    text.trim_start()
        .get(..11)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
}

/// One card's fields.
#[derive(Default)]
struct Card {
    line: u32,
    formatted_name: String,
    name_parts: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    company: String,
    address: String,
    birthday: String,
    notes: Vec<String>,
    categories: Vec<String>,
}

/// A property line: its name (upper case, group removed), parameters, value.
struct Property {
    name: String,
    params: Vec<(String, String)>,
    value: String,
}

impl Property {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// 2.1 writes `ENCODING=QUOTED-PRINTABLE` or just `QUOTED-PRINTABLE`.
    fn quoted_printable(&self) -> bool {
        self.params.iter().any(|(k, v)| {
            v.eq_ignore_ascii_case("QUOTED-PRINTABLE")
                || (k.eq_ignore_ascii_case("QUOTED-PRINTABLE") && v.is_empty())
        })
    }
}

/// The rows of a vCard file: a header row, then a row per card.
pub fn read(text: &str) -> Result<Vec<SourceRow>> {
    let cards = cards(text)?;
    let phone_columns = cards
        .iter()
        .map(|c| c.phones.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut header = vec!["Name".to_string()];
    header.extend((1..=phone_columns).map(|i| format!("Phone {i}")));
    header.extend(
        [
            "Email",
            "Company",
            "Address",
            "Birthday",
            "Notes",
            "Categories",
        ]
        .map(String::from),
    );
    let mut rows = vec![SourceRow {
        line: 0,
        cells: header,
    }];
    for card in cards {
        let name = if card.formatted_name.trim().is_empty() {
            vietnamese_order(&card.name_parts)
        } else {
            card.formatted_name.trim().to_string()
        };
        let mut cells = vec![name];
        for i in 0..phone_columns {
            cells.push(card.phones.get(i).cloned().unwrap_or_default());
        }
        cells.push(card.emails.first().cloned().unwrap_or_default());
        cells.push(card.company);
        cells.push(card.address);
        cells.push(card.birthday);
        cells.push(card.notes.join("\n"));
        cells.push(card.categories.join(", "));
        rows.push(SourceRow {
            line: card.line,
            cells,
        });
    }
    Ok(rows)
}

/// `N` is family;given;additional;prefix;suffix; a Vietnamese name reads family, middle, given.
fn vietnamese_order(parts: &[String]) -> String {
    let get = |i: usize| parts.get(i).map(|s| s.trim()).unwrap_or_default();
    [get(3), get(0), get(2), get(1), get(4)]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cards(text: &str) -> Result<Vec<Card>> {
    let mut cards = Vec::new();
    let mut current: Option<Card> = None;
    for (line_no, line) in logical_lines(text) {
        let Some(prop) = parse_property(&line) else {
            continue;
        };
        match prop.name.as_str() {
            "BEGIN" if prop.value.eq_ignore_ascii_case("VCARD") => {
                current = Some(Card {
                    line: line_no,
                    ..Card::default()
                });
            }
            "END" if prop.value.eq_ignore_ascii_case("VCARD") => {
                if let Some(card) = current.take() {
                    cards.push(card);
                }
            }
            _ => {
                if let Some(card) = current.as_mut() {
                    add(card, &prop);
                }
            }
        }
    }
    if let Some(card) = current {
        // A file cut short keeps the cards it has, the last one included.
        cards.push(card);
    }
    if cards.is_empty() {
        return Err(Error::failed("import.empty", "the vCard file has no cards"));
    }
    Ok(cards)
}

fn add(card: &mut Card, prop: &Property) {
    let value = value_text(prop);
    match prop.name.as_str() {
        "FN" => card.formatted_name = unescape(&value),
        "N" => card.name_parts = split_unescaped(&value, ';'),
        "TEL" => {
            let v = unescape(&value);
            let v = v.strip_prefix("tel:").unwrap_or(&v).to_string();
            if !v.trim().is_empty() {
                card.phones.push(v.trim().to_string());
            }
        }
        "EMAIL" => {
            let v = unescape(&value);
            if !v.trim().is_empty() {
                card.emails.push(v.trim().to_string());
            }
        }
        "ORG" => {
            card.company = split_unescaped(&value, ';')
                .into_iter()
                .find(|s| !s.trim().is_empty())
                .unwrap_or_default();
        }
        "ADR" if card.address.is_empty() => {
            // PO box; extended; street; locality; region; postal code; country.
            card.address = split_unescaped(&value, ';')
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
        }
        "BDAY" => card.birthday = unescape(&value).trim().to_string(),
        "NOTE" => card.notes.push(unescape(&value)),
        "CATEGORIES" => card.categories.extend(
            split_unescaped(&value, ',')
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        ),
        _ => {}
    }
}

/// The value as text: quoted-printable decoded, in the property's charset (UTF-8 when none).
fn value_text(prop: &Property) -> String {
    if !prop.quoted_printable() {
        return prop.value.clone();
    }
    let bytes = decode_quoted_printable(&prop.value);
    let charset = prop.param("CHARSET").unwrap_or("UTF-8");
    let encoding =
        encoding_rs::Encoding::for_label(charset.as_bytes()).unwrap_or(encoding_rs::UTF_8);
    encoding.decode_without_bom_handling(&bytes).0.into_owned()
}

fn decode_quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// `\n`, `\,`, `\;` and `\\` of vCard 3.0 and 4.0.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits on a separator not escaped with a backslash, then unescapes each part.
fn split_unescaped(value: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in value.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
}

/// `[group.]NAME[;PARAM[=VALUE]]*:VALUE`; `None` for a line that is not a property.
fn parse_property(line: &str) -> Option<Property> {
    let colon = find_value_colon(line)?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next()?;
    let name = name
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .trim()
        .to_uppercase();
    let params = parts
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().trim_matches('"').to_string()),
            None => ("TYPE".to_string(), p.trim().to_string()),
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_string(),
    })
}

/// The colon that ends the name and parameters (a quoted parameter value may hold one).
fn find_value_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Unfolds the file into logical lines with the line number each starts on: a line starting
/// with a space or tab continues the previous one; a quoted-printable line ending in `=`
/// continues on the next line (a soft line break).
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut out: Vec<(u32, String)> = Vec::new();
    let mut soft_break = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = i as u32 + 1;
        if soft_break {
            if let Some((_, last)) = out.last_mut() {
                last.pop(); // the `=`
                last.push_str(line.trim_start());
            }
        } else if (line.starts_with(' ') || line.starts_with('\t')) && !out.is_empty() {
            if let Some((_, last)) = out.last_mut() {
                last.push_str(&line[1..]);
            }
        } else if !line.trim().is_empty() {
            out.push((number, line.to_string()));
        }
        soft_break = out.last().is_some_and(|(_, last)| {
            last.ends_with('=') && last.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn android_quoted_printable_names_and_soft_breaks() {
        let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4E=67=75=79=E1=BB=85=6E;=56=C4=83=6E=20=41;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=4E=67=75=79=E1=BB=85=6E=20=\r\n=56=C4=83=6E=20=41\r\nTEL;CELL:0912 345 678\r\nTEL;WORK:+84 28 3822 1234\r\nEND:VCARD\r\n";
        let rows = read(text).unwrap();
        assert_eq!(rows[1].cells[0], "Nguyễn Văn A");
        assert_eq!(rows[1].cells[1], "0912 345 678");
        assert_eq!(rows[1].cells[2], "+84 28 3822 1234");
        assert_eq!(rows[1].line, 1);
    }

    #[test]
    fn folded_lines_escapes_and_name_parts() {
        let text = "BEGIN:VCARD\nVERSION:3.0\nN:Trần;Thị Bích;;;\nNOTE:Khách quen\\, hay mua\n  buổi sáng\nitem1.TEL;type=CELL:tel:+84987654321\nCATEGORIES:VIP,Hà Nội\nEND:VCARD\n";
        let rows = read(text).unwrap();
        let r = &rows[1].cells;
        assert_eq!(r[0], "Trần Thị Bích");
        assert_eq!(r[1], "+84987654321");
        assert_eq!(r[6], "Khách quen, hay mua buổi sáng");
        assert_eq!(r[7], "VIP, Hà Nội");
    }
}
