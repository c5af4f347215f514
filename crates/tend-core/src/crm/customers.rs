//! Customers: validation, create/edit, soft delete and restore, lists, tags and pinned notes.
//!
//! Rows are read by name: each row type has a `COLUMNS` select list and a `from_row` that reads
//! exactly those names.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, NoteId, PhoneId, TagId};
use crate::base::page::Page;
use crate::base::phone;
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::crm::search_index;
use crate::db::store::Store;

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

/// How close a customer is to buying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Temperature {
    Hot,
    Warm,
    Cold,
}

text_enum!(LifecycleStage { Prospect => "prospect", New => "new", Active => "active", AtRisk => "at_risk", Churned => "churned" });
text_enum!(Temperature { Hot => "hot", Warm => "warm", Cold => "cold" });

/// A phone number as typed, with an optional label ("work", "Zalo"...).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhoneInput {
    pub number: String,
    #[ts(optional)]
    pub label: Option<String>,
}

/// What the customer form sends. The first phone is the primary one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
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

/// A tag with its colour (`#rrggbb`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tag {
    pub id: TagId,
    pub name: String,
    pub color: String,
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

/// Validated, normalised customer fields, ready to write.
struct ValidCustomer {
    full_name: String,
    phones: Vec<(String, Option<String>)>,
    email: Option<String>,
    company_name: Option<String>,
    address: Option<String>,
    birthday: Option<String>,
    zalo_id: Option<String>,
    zalo_phone: Option<String>,
    telegram_id: Option<String>,
    telegram_username: Option<String>,
    source: Option<String>,
    lifecycle_stage: LifecycleStage,
    temperature: Option<Temperature>,
    tags: Vec<String>,
    notes: Option<String>,
}

fn validate(input: &CustomerInput) -> Result<ValidCustomer> {
    let full_name = fold::clean(Some(&input.full_name)).ok_or_else(|| {
        Error::field(
            "full_name",
            "customer.name_missing",
            "enter the customer's name",
        )
    })?;
    let full_name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.chars().count() > 200 {
        return Err(Error::field(
            "full_name",
            "customer.name_too_long",
            "the name is longer than 200 characters",
        )
        .with("max", 200));
    }
    let mut phones: Vec<(String, Option<String>)> = Vec::new();
    for p in &input.phones {
        if p.number.trim().is_empty() {
            continue;
        }
        let number = phone::normalize(&p.number)?;
        if !phones.iter().any(|(n, _)| *n == number) {
            phones.push((number, fold::clean(p.label.as_deref())));
        }
    }
    let email = match fold::clean(input.email.as_deref()) {
        Some(e) => Some(validate_email(&e)?),
        None => None,
    };
    let birthday = match fold::clean(input.birthday.as_deref()) {
        Some(b) => {
            let d = chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").map_err(|_| {
                Error::field(
                    "birthday",
                    "customer.birthday_invalid",
                    format!("“{b}” is not a date (YYYY-MM-DD)"),
                )
                .with("value", &b)
            })?;
            Some(d.format("%Y-%m-%d").to_string())
        }
        None => None,
    };
    let zalo_phone = match fold::clean(input.zalo_phone.as_deref()) {
        Some(p) => Some(phone::normalize(&p).map_err(|e| e.on_field("zalo_phone"))?),
        None => None,
    };
    let telegram_id = match fold::clean(input.telegram_id.as_deref()) {
        Some(t) => {
            t.parse::<i64>().map_err(|_| {
                Error::field(
                    "telegram_id",
                    "customer.telegram_id_invalid",
                    format!(
                        "“{t}” is not a Telegram chat id: it is a whole number such as 123456789"
                    ),
                )
                .with("value", &t)
            })?;
            Some(t)
        }
        None => None,
    };
    let telegram_username = match fold::clean(input.telegram_username.as_deref()) {
        Some(u) => {
            let u = u.trim_start_matches('@').to_string();
            let ok = (4..=32).contains(&u.len())
                && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(Error::field(
                    "telegram_username",
                    "customer.telegram_username_invalid",
                    format!("“{u}” is not a Telegram username: 4 to 32 letters, digits or _"),
                )
                .with("value", &u));
            }
            Some(u)
        }
        None => None,
    };
    let mut tags: Vec<String> = Vec::new();
    for t in &input.tags {
        if let Some(t) = fold::clean(Some(t)) {
            if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                tags.push(t);
            }
        }
    }
    Ok(ValidCustomer {
        full_name,
        phones,
        email,
        company_name: fold::clean(input.company_name.as_deref()),
        address: fold::clean(input.address.as_deref()),
        birthday,
        zalo_id: fold::clean(input.zalo_id.as_deref()),
        zalo_phone,
        telegram_id,
        telegram_username,
        source: fold::clean(input.source.as_deref()),
        lifecycle_stage: input.lifecycle_stage.unwrap_or_default(),
        temperature: input.temperature,
        tags,
        notes: fold::clean(input.notes.as_deref()),
    })
}

fn validate_email(e: &str) -> Result<String> {
    let bad = || {
        Error::field(
            "email",
            "customer.email_invalid",
            format!("“{e}” is not an email address (name@example.com)"),
        )
        .with("value", e)
    };
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e.chars().any(char::is_whitespace);
    if ok {
        Ok(e.to_string())
    } else {
        Err(bad())
    }
}

/// The sort key: folded given name, then folded full name.
fn sort_name(full_name: &str) -> String {
    format!(
        "{} {}",
        fold::fold(fold::given_name(full_name)),
        fold::fold(full_name)
    )
}

const TAG_COLORS: [&str; 8] = [
    "#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#4b5563",
];

/// What writing a customer did, for the use case that owns the transaction.
pub enum CustomerWrite {
    /// Saved; `added_tags` are the tags the customer did not have before (all of them when new).
    Saved {
        id: CustomerId,
        added_tags: Vec<String>,
    },
    /// Not saved: live customers already use this phone or email.
    Duplicates { matches: Vec<CustomerSummary> },
}

/// Validates and inserts a customer inside the caller's transaction. Unless `allow_duplicates`,
/// a customer whose normalised phone or email is already a live customer's is not saved.
pub fn create_in(
    tx: &Connection,
    input: &CustomerInput,
    allow_duplicates: bool,
    now: UtcMillis,
) -> Result<CustomerWrite> {
    let valid = validate(input)?;
    if !allow_duplicates {
        let matches = duplicates(tx, &valid, None)?;
        if !matches.is_empty() {
            return Ok(CustomerWrite::Duplicates { matches });
        }
    }
    let id = CustomerId::new();
    insert_customer(tx, &id, &valid, now)?;
    Ok(CustomerWrite::Saved {
        id,
        added_tags: valid.tags,
    })
}

/// Validates and replaces a customer's editable fields inside the caller's transaction.
/// Duplicates are checked as on create, ignoring the customer itself.
pub fn update_in(
    tx: &Connection,
    id: &CustomerId,
    input: &CustomerInput,
    allow_duplicates: bool,
    now: UtcMillis,
) -> Result<CustomerWrite> {
    let valid = validate(input)?;
    {
        let old_tags: Vec<String> = get_customer(tx, id)?
            .tags
            .into_iter()
            .map(|t| t.name.to_lowercase())
            .collect();
        if !allow_duplicates {
            let matches = duplicates(tx, &valid, Some(id))?;
            if !matches.is_empty() {
                return Ok(CustomerWrite::Duplicates { matches });
            }
        }
        tx.execute(
            "UPDATE customers SET full_name = ?2, sort_name = ?3, phone_number = ?4, email = ?5,
                 company_name = ?6, address = ?7, birthday = ?8, zalo_id = ?9, zalo_phone = ?10,
                 telegram_id = ?11, telegram_username = ?12, source = ?13, lifecycle_stage = ?14,
                 temperature = ?15, notes = ?16, updated_at = ?17
             WHERE id = ?1",
            params![
                id,
                valid.full_name,
                sort_name(&valid.full_name),
                valid.phones.first().map(|p| &p.0),
                valid.email,
                valid.company_name,
                valid.address,
                valid.birthday,
                valid.zalo_id,
                valid.zalo_phone,
                valid.telegram_id,
                valid.telegram_username,
                valid.source,
                valid.lifecycle_stage,
                valid.temperature,
                valid.notes,
                now
            ],
        )?;
        write_phones(tx, id, &valid.phones)?;
        write_tags(tx, id, &valid.tags, now)?;
        search_index::reindex(tx, id)?;
        let added_tags: Vec<String> = valid
            .tags
            .iter()
            .filter(|t| !old_tags.contains(&t.to_lowercase()))
            .cloned()
            .collect();
        Ok(CustomerWrite::Saved {
            id: id.clone(),
            added_tags,
        })
    }
}

impl Store {
    /// Live customers whose phone or email matches the input (normalised), for the form's warning.
    pub fn find_duplicates(
        &self,
        input: &CustomerInput,
        except: Option<&CustomerId>,
    ) -> Result<Vec<CustomerSummary>> {
        let valid = validate(input)?;
        duplicates(&self.conn, &valid, except)
    }

    /// Moves a customer to the bin: gone from lists and search, history kept.
    pub fn delete_customer(&mut self, id: &CustomerId, now: UtcMillis) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "UPDATE customers SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, now],
        )?;
        if n == 0 {
            get_customer(&tx, id)?;
        }
        search_index::reindex(&tx, id)?;
        tx.commit()?;
        Ok(())
    }

    /// Brings a customer back from the bin.
    pub fn restore_customer(&mut self, id: &CustomerId, now: UtcMillis) -> Result<Customer> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE customers SET deleted_at = NULL, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NOT NULL",
            params![id, now],
        )?;
        search_index::reindex(&tx, id)?;
        let c = get_customer(&tx, id)?;
        tx.commit()?;
        Ok(c)
    }

    /// A customer, deleted or not.
    pub fn get_customer(&self, id: &CustomerId) -> Result<Customer> {
        get_customer(&self.conn, id)
    }

    /// A page of customers in the requested order.
    pub fn list_customers(&self, q: &CustomerListQuery) -> Result<Page<CustomerSummary>> {
        let limit = q.limit.clamp(1, 500);
        let offset = q.offset.max(0);
        let order = match (q.sort, q.deleted) {
            (_, true) => "c.deleted_at DESC, c.id",
            (CustomerSort::Name, _) => "c.sort_name, c.id",
            (CustomerSort::LastContact, _) => "c.last_contact_date DESC, c.id DESC",
            (CustomerSort::NextFollowUp, _) => {
                "ifnull(c.next_follow_up_date, 9223372036854775807), c.id"
            }
            (CustomerSort::Created, _) => "c.created_at DESC, c.id DESC",
        };
        let live = if q.deleted {
            "c.deleted_at IS NOT NULL"
        } else {
            "c.deleted_at IS NULL"
        };
        let (from, tag_param) = match &q.tag_id {
            Some(t) => (
                "customers c JOIN customer_tags ct ON ct.customer_id = c.id AND ct.tag_id = ?1",
                Some(t.as_str()),
            ),
            None => ("customers c", None),
        };
        let tag_guard = if tag_param.is_some() {
            ""
        } else {
            "AND ?1 IS NULL"
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM {from} WHERE {live} {tag_guard}"),
            params![tag_param],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {columns} FROM {from} WHERE {live} {tag_guard}
             ORDER BY {order} LIMIT ?2 OFFSET ?3",
            columns = CustomerSummary::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let items = stmt
            .query_map(params![tag_param, limit, offset], CustomerSummary::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let items = with_tags(&self.conn, items)?;
        Ok(Page { items, total })
    }

    /// Every tag, by name.
    pub fn list_tags(&self) -> Result<Vec<Tag>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM tags t ORDER BY t.name COLLATE NOCASE",
            Tag::COLUMNS
        ))?;
        let tags = stmt
            .query_map([], Tag::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(tags)
    }

    /// Adds a note to a customer; pinned notes show at the top of the customer.
    pub fn add_note(
        &mut self,
        customer_id: &CustomerId,
        body: &str,
        pinned: bool,
        now: UtcMillis,
    ) -> Result<Note> {
        let body = fold::clean(Some(body))
            .ok_or_else(|| Error::field("body", "note.empty", "the note is empty"))?;
        let tx = self.conn.transaction()?;
        get_customer(&tx, customer_id)?;
        let id = NoteId::new();
        tx.execute(
            "INSERT INTO customer_notes (id, customer_id, body, pinned, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![id, customer_id, body, pinned, now],
        )?;
        search_index::reindex(&tx, customer_id)?;
        tx.commit()?;
        Ok(Note {
            id,
            body,
            pinned,
            created_at: now,
        })
    }

    /// Deletes a note.
    pub fn delete_note(&mut self, id: &NoteId) -> Result<()> {
        let tx = self.conn.transaction()?;
        let customer: CustomerId = tx
            .query_row(
                "SELECT customer_id FROM customer_notes WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(Error::NotFound("note"))?;
        tx.execute("DELETE FROM customer_notes WHERE id = ?1", [id])?;
        search_index::reindex(&tx, &customer)?;
        tx.commit()?;
        Ok(())
    }
}

impl Customer {
    /// The select list of `customers` that `from_row` reads.
    const COLUMNS: &str = "id, full_name, email, company_name, address, birthday, zalo_id, \
        zalo_phone, telegram_id, telegram_username, source, lifecycle_stage, temperature, notes, \
        last_contact_date, total_interactions, next_follow_up_date, created_at, updated_at, \
        deleted_at";

    /// A customer from its row; the phones, tags and pinned notes live in other tables and are
    /// left empty for the caller to fill.
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
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
        })
    }
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

impl Phone {
    /// The select list of `customer_phones` that `from_row` reads.
    const COLUMNS: &str = "id, number, label, is_primary";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Phone> {
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

impl Tag {
    /// The select list over `tags t` that `from_row` reads; qualified because tags are read
    /// through `customer_tags`.
    const COLUMNS: &str = "t.id, t.name, t.color";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Tag> {
        Ok(Tag {
            id: r.get("id")?,
            name: r.get("name")?,
            color: r.get("color")?,
        })
    }
}

impl Note {
    /// The select list of `customer_notes` that `from_row` reads.
    const COLUMNS: &str = "id, body, pinned, created_at";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
        Ok(Note {
            id: r.get("id")?,
            body: r.get("body")?,
            pinned: r.get("pinned")?,
            created_at: r.get("created_at")?,
        })
    }
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

fn duplicates(
    conn: &Connection,
    valid: &ValidCustomer,
    except: Option<&CustomerId>,
) -> Result<Vec<CustomerSummary>> {
    let phones: Vec<&str> = valid.phones.iter().map(|p| p.0.as_str()).collect();
    let phones = serde_json::to_string(&phones).map_err(|e| Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM customers c
         WHERE c.deleted_at IS NULL AND c.id IS NOT ?3 AND (
             c.id IN (SELECT p.customer_id FROM customer_phones p
                      WHERE p.number IN (SELECT value FROM json_each(?1)))
             OR (?2 IS NOT NULL AND lower(c.email) = lower(?2)))
         ORDER BY c.sort_name LIMIT 10",
        CustomerSummary::COLUMNS
    ))?;
    let items = stmt
        .query_map(
            params![phones, valid.email, except],
            CustomerSummary::from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    with_tags(conn, items)
}

fn insert_customer(
    conn: &Connection,
    id: &CustomerId,
    c: &ValidCustomer,
    now: UtcMillis,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customers (id, full_name, sort_name, phone_number, email, company_name, address,
             birthday, zalo_id, zalo_phone, telegram_id, telegram_username, source, lifecycle_stage,
             temperature, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
    )?
    .execute(params![
        id,
        c.full_name,
        sort_name(&c.full_name),
        c.phones.first().map(|p| &p.0),
        c.email,
        c.company_name,
        c.address,
        c.birthday,
        c.zalo_id,
        c.zalo_phone,
        c.telegram_id,
        c.telegram_username,
        c.source,
        c.lifecycle_stage,
        c.temperature,
        c.notes,
        now
    ])?;
    write_phones(conn, id, &c.phones)?;
    write_tags(conn, id, &c.tags, now)?;
    search_index::reindex(conn, id)?;
    Ok(())
}

/// Validates and inserts a customer inside the caller's transaction, skipping the duplicate check
/// (used by imports and sample data).
pub(crate) fn insert_input(
    conn: &Connection,
    input: &CustomerInput,
    now: UtcMillis,
) -> Result<CustomerId> {
    let valid = validate(input)?;
    let id = CustomerId::new();
    insert_customer(conn, &id, &valid, now)?;
    Ok(id)
}

fn write_phones(
    conn: &Connection,
    id: &CustomerId,
    phones: &[(String, Option<String>)],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM customer_phones WHERE customer_id = ?1")?
        .execute([id])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer_phones (id, customer_id, number, label, is_primary, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, (number, label)) in phones.iter().enumerate() {
        stmt.execute(params![PhoneId::new(), id, number, label, i == 0, i as i64])?;
    }
    Ok(())
}

fn write_tags(conn: &Connection, id: &CustomerId, tags: &[String], now: UtcMillis) -> Result<()> {
    conn.prepare_cached("DELETE FROM customer_tags WHERE customer_id = ?1")?
        .execute([id])?;
    for name in tags {
        let existing: Option<TagId> = conn
            .prepare_cached("SELECT id FROM tags WHERE name = ?1 COLLATE NOCASE")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        let tag_id = match existing {
            Some(t) => t,
            None => {
                let t = TagId::new();
                let color = TAG_COLORS
                    [fold::fold(name).bytes().map(usize::from).sum::<usize>() % TAG_COLORS.len()];
                conn.prepare_cached(
                    "INSERT INTO tags (id, name, color, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![t, name, color, now])?;
                t
            }
        };
        conn.prepare_cached(
            "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id) VALUES (?1, ?2)",
        )?
        .execute(params![id, tag_id])?;
    }
    Ok(())
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
