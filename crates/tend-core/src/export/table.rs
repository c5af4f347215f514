//! Customers and interactions as a table of cells, the shape the spreadsheet and CSV writers
//! share. Headers are Vietnamese and are the ones the import recognises, so a file goes out and
//! back in unchanged.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;

use crate::base::calendar::Zone;
use crate::base::error::Result;
use crate::base::ids::CustomerId;
use crate::base::phone;
use crate::export::book::BookRow;
use crate::export::model::ExportColumn;

/// A cell: text, a calendar date, or a local date and time.
pub(crate) enum Cell {
    Text(String),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl Cell {
    fn opt(v: &Option<String>) -> Cell {
        Cell::Text(v.clone().unwrap_or_default())
    }

    /// As CSV writes it: dates as a Vietnamese user reads them.
    pub(crate) fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
            Cell::DateTime(t) => t.format("%d/%m/%Y %H:%M").to_string(),
        }
    }
}

/// A table to write.
pub(crate) struct Sheet {
    pub(crate) name: &'static str,
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<Cell>>,
}

fn stage_text(stage: &str) -> &'static str {
    match stage {
        "prospect" => "Tiềm năng",
        "new" => "Mới",
        "active" => "Đang giao dịch",
        "at_risk" => "Có nguy cơ mất",
        "churned" => "Đã rời bỏ",
        _ => "",
    }
}

fn temperature_text(t: Option<&str>) -> &'static str {
    match t {
        Some("hot") => "Nóng",
        Some("warm") => "Ấm",
        Some("cold") => "Lạnh",
        _ => "",
    }
}

/// The customers as a sheet with the chosen columns; phones get as many columns as the
/// customer with the most phones needs.
pub(crate) fn customers_sheet(
    rows: &[BookRow],
    columns: &[ExportColumn],
    zone: &dyn Zone,
) -> Sheet {
    let columns: Vec<ExportColumn> = if columns.is_empty() {
        ExportColumn::ALL.to_vec()
    } else {
        columns.to_vec()
    };
    let phone_columns = rows
        .iter()
        .map(|r| r.phones.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut headers = Vec::new();
    for c in &columns {
        match c {
            ExportColumn::Phones => {
                headers.extend((1..=phone_columns).map(|i| format!("SĐT {i}")));
            }
            other => headers.push(
                match other {
                    ExportColumn::FullName => "Họ và tên",
                    ExportColumn::Email => "Email",
                    ExportColumn::Company => "Công ty",
                    ExportColumn::Address => "Địa chỉ",
                    ExportColumn::Birthday => "Ngày sinh",
                    ExportColumn::Zalo => "Số Zalo",
                    ExportColumn::Tags => "Nhãn",
                    ExportColumn::Notes => "Ghi chú",
                    ExportColumn::Source => "Nguồn",
                    ExportColumn::Stage => "Giai đoạn",
                    ExportColumn::Temperature => "Mức quan tâm",
                    ExportColumn::LastContact => "Liên hệ gần nhất",
                    ExportColumn::CreatedAt => "Ngày thêm",
                    ExportColumn::Phones => unreachable!("handled above"),
                }
                .to_string(),
            ),
        }
    }
    let local = |t: i64| Cell::DateTime(zone.to_local(t));
    let body = rows
        .iter()
        .map(|r| {
            let mut cells = Vec::with_capacity(headers.len());
            for c in &columns {
                match c {
                    ExportColumn::FullName => cells.push(Cell::Text(r.full_name.clone())),
                    ExportColumn::Phones => {
                        for i in 0..phone_columns {
                            cells.push(Cell::Text(
                                r.phones
                                    .get(i)
                                    .map(|p| phone::display(p))
                                    .unwrap_or_default(),
                            ));
                        }
                    }
                    ExportColumn::Email => cells.push(Cell::opt(&r.email)),
                    ExportColumn::Company => cells.push(Cell::opt(&r.company_name)),
                    ExportColumn::Address => cells.push(Cell::opt(&r.address)),
                    ExportColumn::Birthday => cells.push(
                        r.birthday
                            .as_deref()
                            .and_then(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").ok())
                            .map(Cell::Date)
                            .unwrap_or(Cell::Text(String::new())),
                    ),
                    ExportColumn::Zalo => cells.push(Cell::Text(
                        r.zalo_phone
                            .as_deref()
                            .map(phone::display)
                            .unwrap_or_default(),
                    )),
                    ExportColumn::Tags => cells.push(Cell::Text(r.tags.join(", "))),
                    ExportColumn::Notes => cells.push(Cell::opt(&r.notes)),
                    ExportColumn::Source => cells.push(Cell::opt(&r.source)),
                    ExportColumn::Stage => cells.push(Cell::Text(stage_text(&r.stage).into())),
                    ExportColumn::Temperature => cells.push(Cell::Text(
                        temperature_text(r.temperature.as_deref()).into(),
                    )),
                    ExportColumn::LastContact => cells.push(
                        r.last_contact
                            .map(local)
                            .unwrap_or(Cell::Text(String::new())),
                    ),
                    ExportColumn::CreatedAt => cells.push(local(r.created_at)),
                }
            }
            cells
        })
        .collect();
    Sheet {
        name: "Khách hàng",
        headers,
        rows: body,
    }
}

fn kind_text(kind: &str) -> &'static str {
    match kind {
        "call" => "Cuộc gọi",
        "visit" => "Gặp trực tiếp",
        "meeting" => "Cuộc họp",
        "email" => "Email",
        "zalo" => "Zalo",
        "telegram" => "Telegram",
        "sms" => "SMS",
        "note" => "Ghi chú",
        _ => "",
    }
}

/// The interactions of the exported customers, newest first.
pub(crate) fn interactions_sheet(
    conn: &Connection,
    rows: &[BookRow],
    zone: &dyn Zone,
) -> Result<Sheet> {
    let who: std::collections::HashMap<&CustomerId, &BookRow> =
        rows.iter().map(|r| (&r.id, r)).collect();
    let mut stmt = conn.prepare(
        "SELECT customer_id, kind, direction, subject, content, outcome, occurred_at, next_action
         FROM customer_interactions ORDER BY occurred_at DESC, id DESC",
    )?;
    let mut q = stmt.query([])?;
    let mut body = Vec::new();
    while let Some(r) = q.next()? {
        let customer: CustomerId = r.get("customer_id")?;
        let Some(c) = who.get(&customer) else {
            continue;
        };
        let kind: String = r.get("kind")?;
        let direction: String = r.get("direction")?;
        let text = |name: &str| -> rusqlite::Result<Cell> {
            Ok(Cell::Text(
                r.get::<_, Option<String>>(name)?.unwrap_or_default(),
            ))
        };
        body.push(vec![
            Cell::DateTime(zone.to_local(r.get("occurred_at")?)),
            Cell::Text(c.full_name.clone()),
            Cell::Text(
                c.phones
                    .first()
                    .map(|p| phone::display(p))
                    .unwrap_or_default(),
            ),
            Cell::Text(kind_text(&kind).into()),
            Cell::Text(
                if direction == "inbound" {
                    "Khách liên hệ"
                } else {
                    "Tôi liên hệ"
                }
                .into(),
            ),
            text("subject")?,
            text("content")?,
            text("outcome")?,
            text("next_action")?,
        ]);
    }
    Ok(Sheet {
        name: "Tương tác",
        headers: [
            "Thời gian",
            "Khách hàng",
            "SĐT",
            "Loại",
            "Chiều",
            "Tiêu đề",
            "Nội dung",
            "Kết quả",
            "Việc tiếp theo",
        ]
        .map(String::from)
        .to_vec(),
        rows: body,
    })
}
