//! Row images for an exact undo: every row of a customer's tables, as it was, written back by
//! primary key with an upsert (never a delete and insert, which would set off the cascades of
//! the rows that point at them: the steps of an enrolment, the task of an interaction).

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};

use crate::base::error::{Error, Result};
use crate::base::ids::CustomerId;

/// A customer's tables, by their key and the column that names the customer.
pub(crate) const TABLES: [(&str, &str, &str); 10] = [
    ("customer_phones", "id", "customer_id"),
    ("customer_notes", "id", "customer_id"),
    ("customer_interactions", "id", "customer_id"),
    ("tasks", "id", "customer_id"),
    ("outbox", "id", "customer_id"),
    ("telegram_bindings", "token", "customer_id"),
    ("enrollments", "id", "customer_id"),
    ("customer_consents", "id", "customer_id"),
    ("campaign_recipients", "id", "customer_id"),
    // Without a key of its own: restored by deleting the customers' rows and inserting these.
    ("customer_tags", "", "customer_id"),
];

/// Rows of one table.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Rows {
    pub(crate) table: String,
    pub(crate) columns: Vec<String>,
    pub(crate) rows: Vec<Vec<serde_json::Value>>,
}

/// The rows of some customers in every table that holds their data, customers included.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) customers: Vec<CustomerId>,
    pub(crate) tables: Vec<Rows>,
}

fn to_json(v: Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(f) => f.into(),
        Value::Text(s) => s.into(),
        Value::Blob(b) => b.into_iter().map(serde_json::Value::from).collect(),
    }
}

fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(*b as i64),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map(Value::Integer)
            .unwrap_or_else(|| Value::Real(n.as_f64().unwrap_or_default())),
        serde_json::Value::String(s) => Value::Text(s.clone()),
        serde_json::Value::Array(a) => {
            Value::Blob(a.iter().map(|b| b.as_u64().unwrap_or(0) as u8).collect())
        }
        serde_json::Value::Object(_) => Value::Null,
    }
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn read(conn: &Connection, table: &str, column: &str, ids: &[CustomerId]) -> Result<Rows> {
    let sql = format!(
        "SELECT * FROM {table} WHERE {column} IN ({})",
        placeholders(ids.len())
    );
    let mut stmt = conn.prepare(&sql)?;
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let n = columns.len();
    let rows = stmt
        .query_map(params_from_iter(ids.iter()), |r| {
            (0..n)
                .map(|i| r.get::<_, Value>(i).map(to_json))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Rows {
        table: table.to_string(),
        columns,
        rows,
    })
}

/// Takes the rows of these customers.
pub(crate) fn take(conn: &Connection, ids: &[CustomerId]) -> Result<Snapshot> {
    let mut tables = vec![read(conn, "customers", "id", ids)?];
    for (table, _, column) in TABLES {
        tables.push(read(conn, table, column, ids)?);
    }
    Ok(Snapshot {
        customers: ids.to_vec(),
        tables,
    })
}

/// Writes every row back as it was. Rows added since to these customers stay.
pub(crate) fn restore(conn: &Connection, snap: &Snapshot) -> Result<()> {
    for rows in &snap.tables {
        let key = if rows.table == "customers" {
            "id"
        } else {
            TABLES
                .iter()
                .find(|(t, _, _)| *t == rows.table)
                .map(|(_, k, _)| *k)
                .ok_or_else(|| Error::Internal(format!("unknown table {}", rows.table)))?
        };
        let cols = rows.columns.join(", ");
        if key.is_empty() {
            conn.execute(
                &format!(
                    "DELETE FROM {} WHERE customer_id IN ({})",
                    rows.table,
                    placeholders(snap.customers.len())
                ),
                params_from_iter(snap.customers.iter()),
            )?;
        }
        let upsert = if key.is_empty() {
            String::new()
        } else {
            let sets: Vec<String> = rows
                .columns
                .iter()
                .filter(|c| c.as_str() != key)
                .map(|c| format!("{c} = excluded.{c}"))
                .collect();
            format!(" ON CONFLICT ({key}) DO UPDATE SET {}", sets.join(", "))
        };
        let sql = format!(
            "INSERT INTO {} ({cols}) VALUES ({}){upsert}",
            rows.table,
            placeholders(rows.columns.len())
        );
        let mut stmt = conn.prepare(&sql)?;
        for row in &rows.rows {
            stmt.execute(params_from_iter(row.iter().map(from_json)))?;
        }
    }
    Ok(())
}
