//! The customer record and its parts (phones, tags, notes), how they are read, and the list
//! types. Rows are read by name: each row type has a `COLUMNS` select list and a `from_row` that
//! reads exactly those names.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, NoteId, PhoneId, TagId};
use crate::base::phone;
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;

/// Where a customer stands with the salesperson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LifecycleStage {
    Prospect,
    #[default]
    New,
    Active,
    AtRisk,
    Churned,
}

text_enum!(LifecycleStage { Prospect => "prospect", New => "new", Active => "active", AtRisk => "at_risk", Churned => "churned" });

/// How close a customer is to buying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Temperature {
    Hot,
    Warm,
    Cold,
}

text_enum!(Temperature { Hot => "hot", Warm => "warm", Cold => "cold" });

/// The longest note or interaction text kept (about ten printed pages): longer text is almost
/// always a paste by mistake, and a timeline entry of 100,000 characters helps nobody.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// A phone number as typed, with an optional label ("work", "Zalo"...).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhoneInput {
    pub number: String,
    #[ts(optional)]
    pub label: Option<String>,
}

/// What the customer form sends. The first phone is the primary one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CustomerInput {
    pub full_name: String,
    pub phones: Vec<PhoneInput>,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub address: Option<String>,
    /// `YYYY-MM-DD`.
    pub birthday: Option<String>,
    pub zalo_id: Option<String>,
    pub zalo_phone: Option<String>,
    /// The Telegram chat id the bot sends to (an integer, negative for groups).
    pub telegram_id: Option<String>,
    pub telegram_username: Option<String>,
    pub source: Option<String>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub temperature: Option<Temperature>,
    /// Tag names; unknown ones are created.
    pub tags: Vec<String>,
    pub notes: Option<String>,
    /// The customer asked not to be contacted (no campaign or scenario message).
    pub do_not_contact: bool,
}

/// One of a customer's phone numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Phone {
    pub id: PhoneId,
    /// E.164, for example `+84912345678`.
    pub number: String,
    /// As a Vietnamese user reads it: `0912 345 678`.
    pub display: String,
    pub label: Option<String>,
    pub is_primary: bool,
}

impl Phone {
    /// The select list of `customer_phones` that `from_row` reads.
    pub(crate) const COLUMNS: &str = "id, number, label, is_primary";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Phone> {
        let number: String = r.get("number")?;
        Ok(Phone {
            id: r.get("id")?,
            display: phone::display(&number),
            number,
            label: r.get("label")?,
            is_primary: r.get("is_primary")?,
        })
    }
}

/// A tag with its colour (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub color: String,
}

impl Tag {
    /// The select list over `tags t` that `from_row` reads; qualified because tags are read
    /// through `customer_tags`.
    pub(crate) const COLUMNS: &str = "t.id, t.name, t.color";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Tag> {
        Ok(Tag {
            id: r.get("id")?,
            name: r.get("name")?,
            color: r.get("color")?,
        })
    }
}

/// A note kept on its own record; pinned ones show at the top of the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Note {
    pub id: NoteId,
    pub body: String,
    pub pinned: bool,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
}

impl Note {
    /// The select list of `customer_notes` that `from_row` reads.
    pub(crate) const COLUMNS: &str = "id, body, pinned, created_at";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
        Ok(Note {
            id: r.get("id")?,
            body: r.get("body")?,
            pinned: r.get("pinned")?,
            created_at: r.get("created_at")?,
        })
    }
}

/// A whole customer record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Customer {
    pub id: CustomerId,
    pub full_name: String,
    pub given_name: String,
    pub phones: Vec<Phone>,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub address: Option<String>,
    pub birthday: Option<String>,
    pub zalo_id: Option<String>,
    /// E.164.
    pub zalo_phone: Option<String>,
    /// The Zalo phone as a Vietnamese user reads it.
    pub zalo_phone_display: Option<String>,
    pub telegram_id: Option<String>,
    pub telegram_username: Option<String>,
    pub source: Option<String>,
    pub lifecycle_stage: LifecycleStage,
    pub temperature: Option<Temperature>,
    pub tags: Vec<Tag>,
    pub notes: Option<String>,
    pub pinned_notes: Vec<Note>,
    #[ts(type = "number | null")]
    pub last_contact_date: Option<UtcMillis>,
    #[ts(type = "number")]
    pub total_interactions: i64,
    #[ts(type = "number | null")]
    pub next_follow_up_date: Option<UtcMillis>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
    #[ts(type = "number | null")]
    pub deleted_at: Option<UtcMillis>,
    pub do_not_contact: bool,
    #[ts(type = "number | null")]
    pub do_not_contact_at: Option<UtcMillis>,
}

impl Customer {
    /// The select list of `customers` that `from_row` reads.
    pub(crate) const COLUMNS: &str =
        "id, full_name, email, company_name, address, birthday, zalo_id, \
        zalo_phone, telegram_id, telegram_username, source, lifecycle_stage, temperature, notes, \
        last_contact_date, total_interactions, next_follow_up_date, created_at, updated_at, \
        deleted_at, do_not_contact, do_not_contact_at";

    /// A customer from its row; the phones, tags and pinned notes live in other tables and are
    /// left empty for the caller to fill.
    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
        let full_name: String = r.get("full_name")?;
        let zalo_phone: Option<String> = r.get("zalo_phone")?;
        Ok(Customer {
            id: r.get("id")?,
            given_name: fold::given_name(&full_name).to_string(),
            full_name,
            phones: Vec::new(),
            email: r.get("email")?,
            company_name: r.get("company_name")?,
            address: r.get("address")?,
            birthday: r.get("birthday")?,
            zalo_id: r.get("zalo_id")?,
            zalo_phone_display: zalo_phone.as_deref().map(phone::display),
            zalo_phone,
            telegram_id: r.get("telegram_id")?,
            telegram_username: r.get("telegram_username")?,
            source: r.get("source")?,
            lifecycle_stage: r.get("lifecycle_stage")?,
            temperature: r.get("temperature")?,
            tags: Vec::new(),
            notes: r.get("notes")?,
            pinned_notes: Vec::new(),
            last_contact_date: r.get("last_contact_date")?,
            total_interactions: r.get("total_interactions")?,
            next_follow_up_date: r.get("next_follow_up_date")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
            deleted_at: r.get("deleted_at")?,
            do_not_contact: r.get("do_not_contact")?,
            do_not_contact_at: r.get("do_not_contact_at")?,
        })
    }
}

/// A customer as a row of a list or a search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerSummary {
    pub id: CustomerId,
    pub full_name: String,
    pub phone_display: Option<String>,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub lifecycle_stage: LifecycleStage,
    pub temperature: Option<Temperature>,
    pub tags: Vec<Tag>,
    #[ts(type = "number | null")]
    pub last_contact_date: Option<UtcMillis>,
    #[ts(type = "number | null")]
    pub next_follow_up_date: Option<UtcMillis>,
}

impl CustomerSummary {
    /// The select list over `customers c` that `from_row` reads; qualified because lists join
    /// `customer_tags`.
    pub(crate) const COLUMNS: &str = "c.id, c.full_name, c.phone_number, c.email, c.company_name, \
         c.lifecycle_stage, c.temperature, c.last_contact_date, c.next_follow_up_date";

    /// A summary from its row, tags left empty: [`with_tags`] fills a whole page at once.
    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<CustomerSummary> {
        Ok(CustomerSummary {
            id: r.get("id")?,
            full_name: r.get("full_name")?,
            phone_display: r
                .get::<_, Option<String>>("phone_number")?
                .map(|p| phone::display(&p)),
            email: r.get("email")?,
            company_name: r.get("company_name")?,
            lifecycle_stage: r.get("lifecycle_stage")?,
            temperature: r.get("temperature")?,
            tags: Vec::new(),
            last_contact_date: r.get("last_contact_date")?,
            next_follow_up_date: r.get("next_follow_up_date")?,
        })
    }
}

/// How a customer list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerSort {
    /// By given name, then full name, the way Vietnamese lists are read.
    #[default]
    Name,
    /// Most recently contacted first (never contacted last).
    LastContact,
    /// Soonest follow-up first (none last).
    NextFollowUp,
    /// Newest first.
    Created,
}

/// A page request for the customer list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CustomerListQuery {
    pub sort: CustomerSort,
    pub tag_id: Option<TagId>,
    /// List the deleted customers (the bin) instead of the live ones.
    pub deleted: bool,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

/// The result of saving a customer: saved, or held back because the phone or email is already a
/// customer's (the form then offers to open that one, or to save anyway).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SaveOutcome {
    Saved { customer: Box<Customer> },
    Duplicates { matches: Vec<CustomerSummary> },
}

/// Fills in the tags of a page of summaries with one query.
pub(crate) fn with_tags(
    conn: &Connection,
    mut items: Vec<CustomerSummary>,
) -> Result<Vec<CustomerSummary>> {
    if items.is_empty() {
        return Ok(items);
    }
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    let json = serde_json::to_string(&ids).map_err(|e| Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT ct.customer_id, {} FROM customer_tags ct
         JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id IN (SELECT value FROM json_each(?1))
         ORDER BY t.name COLLATE NOCASE",
        Tag::COLUMNS
    ))?;
    let rows = stmt.query_map([json], |r| {
        Ok((r.get::<_, String>("customer_id")?, Tag::from_row(r)?))
    })?;
    for row in rows {
        let (cid, tag) = row?;
        if let Some(c) = items.iter_mut().find(|c| c.id.as_str() == cid) {
            c.tags.push(tag);
        }
    }
    Ok(items)
}

pub(crate) fn get_customer(conn: &Connection, id: &CustomerId) -> Result<Customer> {
    let mut c = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customers WHERE id = ?1",
            Customer::COLUMNS
        ))?
        .query_row([id], Customer::from_row)
        .optional()?
        .ok_or(Error::NotFound("customer"))?;
    c.phones = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customer_phones WHERE customer_id = ?1 ORDER BY position",
            Phone::COLUMNS
        ))?
        .query_map([id], Phone::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    c.tags = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.customer_id = ?1 ORDER BY t.name COLLATE NOCASE",
            Tag::COLUMNS
        ))?
        .query_map([id], Tag::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    c.pinned_notes = conn
        .prepare_cached(&format!(
            "SELECT {} FROM customer_notes
             WHERE customer_id = ?1 ORDER BY pinned DESC, created_at DESC",
            Note::COLUMNS
        ))?
        .query_map([id], Note::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(c)
}

impl CustomerInput {
    /// The stored customer as the form would send it unchanged.
    pub fn from_customer(c: &Customer) -> Self {
        CustomerInput {
            full_name: c.full_name.clone(),
            phones: c
                .phones
                .iter()
                .map(|p| PhoneInput {
                    number: p.number.clone(),
                    label: p.label.clone(),
                })
                .collect(),
            email: c.email.clone(),
            company_name: c.company_name.clone(),
            address: c.address.clone(),
            birthday: c.birthday.clone(),
            zalo_id: c.zalo_id.clone(),
            zalo_phone: c.zalo_phone.clone(),
            telegram_id: c.telegram_id.clone(),
            telegram_username: c.telegram_username.clone(),
            source: c.source.clone(),
            lifecycle_stage: Some(c.lifecycle_stage),
            temperature: c.temperature,
            tags: c.tags.iter().map(|t| t.name.clone()).collect(),
            notes: c.notes.clone(),
            do_not_contact: c.do_not_contact,
        }
    }

    /// What to save when the form opened on `base` sends `self`: the fields the salesperson
    /// changed, and for every other field the value stored now (`current`), which Tend itself
    /// may have changed meanwhile (a Telegram chat bound by the bot, for instance). Comparing
    /// against what the form started from, not against what is stored, is what tells "left
    /// alone" from "cleared".
    pub fn changes_over(&self, base: &CustomerInput, current: &CustomerInput) -> CustomerInput {
        macro_rules! pick {
            ($($field:ident),*) => {
                CustomerInput {
                    $($field: if self.$field == base.$field {
                        current.$field.clone()
                    } else {
                        self.$field.clone()
                    },)*
                }
            };
        }
        pick!(
            full_name,
            phones,
            email,
            company_name,
            address,
            birthday,
            zalo_id,
            zalo_phone,
            telegram_id,
            telegram_username,
            source,
            lifecycle_stage,
            temperature,
            tags,
            notes,
            do_not_contact
        )
    }
}
