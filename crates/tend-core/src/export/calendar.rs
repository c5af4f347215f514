//! An iCalendar file for a calendar app: every open task with a customer at its due time, and
//! each customer's birthday as a yearly all-day event.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::base::error::Result;
use crate::base::time::UtcMillis;
use crate::export::book::BookRow;

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\r', "")
        .replace('\n', "\\n")
}

fn utc(t: UtcMillis) -> String {
    DateTime::<Utc>::from_timestamp_millis(t)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The calendar and how many entries it has.
pub(crate) fn calendar(
    conn: &Connection,
    rows: &[BookRow],
    now: UtcMillis,
) -> Result<(String, u32)> {
    let who: std::collections::HashMap<&str, &BookRow> =
        rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut out = String::new();
    let mut count = 0;
    let stamp = utc(now);
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tend//Tend CRM//VI",
        "CALSCALE:GREGORIAN",
    ] {
        fold(l, &mut out);
    }
    let mut stmt = conn.prepare(
        "SELECT id, customer_id, title, notes, due_at FROM tasks
         WHERE status = 'open' AND customer_id IS NOT NULL ORDER BY due_at, id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let customer: String = r.get("customer_id")?;
        let Some(c) = who.get(customer.as_str()) else {
            continue;
        };
        let id: String = r.get("id")?;
        let title: String = r.get("title")?;
        let notes: Option<String> = r.get("notes")?;
        let due: UtcMillis = r.get("due_at")?;
        let phone = c
            .phones
            .first()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:task-{id}@tend"),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART:{}", utc(due)),
            format!("DTEND:{}", utc(due + 30 * 60_000)),
            format!(
                "SUMMARY:{}",
                escape(&format!("{title} – {}{phone}", c.full_name))
            ),
            format!("DESCRIPTION:{}", escape(notes.as_deref().unwrap_or(""))),
            "END:VEVENT".to_string(),
        ] {
            fold(&l, &mut out);
        }
        count += 1;
    }
    for c in rows {
        let Some(b) = c.birthday.as_deref() else {
            continue;
        };
        let day = b.replace('-', "");
        for l in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:birthday-{}@tend", c.id),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{day}"),
            "RRULE:FREQ=YEARLY".to_string(),
            format!("SUMMARY:{}", escape(&format!("Sinh nhật {}", c.full_name))),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ] {
            fold(&l, &mut out);
        }
        count += 1;
    }
    fold("END:VCALENDAR", &mut out);
    Ok((out, count))
}
