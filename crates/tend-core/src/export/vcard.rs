//! vCard 3.0, the version every phone's contacts app imports: one card per customer, lines
//! folded at 75 octets, CRLF, text escaped.

use crate::export::book::BookRow;

/// `\`, `,`, `;` and new lines escaped as vCard 3.0 wants.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// A Vietnamese name as `N`: family name first, given name last, the middle in between.
fn name_parts(full: &str) -> (String, String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.len() {
        0 => Default::default(),
        1 => (String::new(), words[0].to_string(), String::new()),
        n => (
            words[0].to_string(),
            words[n - 1].to_string(),
            words[1..n - 1].join(" "),
        ),
    }
}

/// The cards of the customers.
pub(crate) fn cards(rows: &[BookRow]) -> String {
    let mut out = String::new();
    for r in rows {
        let (family, given, middle) = name_parts(&r.full_name);
        let mut line = |l: String| fold(&l, &mut out);
        line("BEGIN:VCARD".into());
        line("VERSION:3.0".into());
        line(format!(
            "N:{};{};{};;",
            escape(&family),
            escape(&given),
            escape(&middle)
        ));
        line(format!("FN:{}", escape(&r.full_name)));
        for (i, p) in r.phones.iter().enumerate() {
            let pref = if i == 0 { ";TYPE=pref" } else { "" };
            line(format!("TEL;TYPE=CELL{pref}:{p}"));
        }
        if let Some(e) = &r.email {
            line(format!("EMAIL;TYPE=INTERNET:{}", escape(e)));
        }
        if let Some(c) = &r.company_name {
            line(format!("ORG:{}", escape(c)));
        }
        if let Some(a) = &r.address {
            line(format!("ADR;TYPE=HOME:;;{};;;;", escape(a)));
        }
        if let Some(b) = &r.birthday {
            line(format!("BDAY:{b}"));
        }
        if let Some(n) = &r.notes {
            line(format!("NOTE:{}", escape(n)));
        }
        if !r.tags.is_empty() {
            let tags: Vec<String> = r.tags.iter().map(|t| escape(t)).collect();
            line(format!("CATEGORIES:{}", tags.join(",")));
        }
        line("END:VCARD".into());
    }
    out
}
