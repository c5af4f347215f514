//! The dry run: every row validated as the customer form validates, duplicates found against
//! the book (by normalised phone, so `0169 555 1234` meets the stored `+84395551234`, or by
//! email) and against earlier rows of the file, and the action the choices give each row.
//! Writing runs the same plan inside its transaction, so what the preview said is what happens.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::base::error::{Error, ErrorPayload, Result};
use crate::base::ids::CustomerId;
use crate::base::phone;
use crate::crm::customers::validate::{validate, ValidCustomer};
use crate::db::store::Store;
use crate::import::model::{
    DuplicateChoice, DuplicateOf, ImportField, ImportOptions, ImportReport, InvalidRow, PreviewRow,
    RowStatus, Table,
};
use crate::import::rows::{row_input, row_name};

/// How many rows the preview shows, and how many duplicates and invalid rows the report lists.
const PREVIEW_ROWS: usize = 20;
const LISTED: usize = 500;

/// What writing does with a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Action {
    Create,
    /// Fill the empty fields of this customer of the book.
    Update(CustomerId),
    /// Fill the empty fields of the earlier row at this index of the plan.
    IntoRow(usize),
    Skip,
}

/// A valid row with its finding and action.
pub(crate) struct Planned {
    pub(crate) line: u32,
    pub(crate) valid: ValidCustomer,
    pub(crate) status: RowStatus,
    pub(crate) action: Action,
    pub(crate) choice: Option<DuplicateChoice>,
    pub(crate) duplicate_of: Option<DuplicateOf>,
    pub(crate) duplicate_of_line: Option<u32>,
}

/// The whole file, decided.
pub(crate) struct Plan {
    pub(crate) rows: Vec<Planned>,
    pub(crate) invalid: Vec<InvalidRow>,
    pub(crate) total: u32,
}

/// The live customers' phones and emails, to find duplicates of the book in memory.
struct BookIndex {
    phones: HashMap<String, (CustomerId, String)>,
    emails: HashMap<String, (CustomerId, String)>,
}

impl BookIndex {
    fn load(conn: &Connection) -> Result<BookIndex> {
        let mut phones = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT p.number, c.id, c.full_name FROM customer_phones p
             JOIN customers c ON c.id = p.customer_id WHERE c.deleted_at IS NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            phones.insert(r.get("number")?, (r.get("id")?, r.get("full_name")?));
        }
        let mut emails = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT lower(email) AS email, id, full_name FROM customers
             WHERE deleted_at IS NULL AND email IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            emails.insert(r.get("email")?, (r.get("id")?, r.get("full_name")?));
        }
        Ok(BookIndex { phones, emails })
    }

    fn find(&self, valid: &ValidCustomer) -> Option<DuplicateOf> {
        let by_phone = valid
            .phones
            .iter()
            .find_map(|(n, _)| self.phones.get(n))
            .map(|m| (m, "phone"));
        let by_email = || {
            valid
                .email
                .as_ref()
                .and_then(|e| self.emails.get(&e.to_lowercase()))
                .map(|m| (m, "email"))
        };
        by_phone
            .or_else(by_email)
            .map(|((id, name), by)| DuplicateOf {
                id: id.clone(),
                full_name: name.clone(),
                by: by.to_string(),
            })
    }
}

/// Refuses a mapping with no column for the name: every row would be invalid.
fn check_mapping(mapping: &[ImportField]) -> Result<()> {
    let named = mapping.iter().any(|f| {
        matches!(
            f,
            ImportField::FullName
                | ImportField::FamilyName
                | ImportField::MiddleName
                | ImportField::GivenName
        )
    });
    if !named {
        return Err(Error::field(
            "mapping",
            "import.no_name_column",
            "choose the column that holds the customer's name",
        ));
    }
    Ok(())
}

/// Decides every row of the table against the book as `conn` sees it.
pub(crate) fn plan(conn: &Connection, table: &Table, options: &ImportOptions) -> Result<Plan> {
    check_mapping(&options.mapping)?;
    let book = BookIndex::load(conn)?;
    let overrides: HashMap<u32, DuplicateChoice> = options
        .row_choices
        .iter()
        .map(|c| (c.line, c.choice))
        .collect();
    let mut rows: Vec<Planned> = Vec::with_capacity(table.rows.len());
    let mut invalid = Vec::new();
    let mut seen_phones: HashMap<String, usize> = HashMap::new();
    let mut seen_emails: HashMap<String, usize> = HashMap::new();
    for source in &table.rows {
        let valid = row_input(&options.mapping, source).and_then(|input| validate(&input));
        let valid = match valid {
            Ok(v) => v,
            Err(e) => {
                invalid.push(InvalidRow {
                    line: source.line,
                    name: row_name(&options.mapping, source),
                    error: ErrorPayload::from(&e),
                });
                continue;
            }
        };
        let earlier = valid
            .phones
            .iter()
            .find_map(|(n, _)| seen_phones.get(n))
            .or_else(|| {
                valid
                    .email
                    .as_ref()
                    .and_then(|e| seen_emails.get(&e.to_lowercase()))
            })
            .copied();
        let duplicate_of = book.find(&valid);
        let choice = overrides
            .get(&source.line)
            .copied()
            .unwrap_or(options.on_duplicate);
        let (status, action, choice) = match (&duplicate_of, earlier) {
            (Some(d), _) => (
                RowStatus::Duplicate,
                match choice {
                    DuplicateChoice::Skip => Action::Skip,
                    DuplicateChoice::Update => Action::Update(d.id.clone()),
                    DuplicateChoice::Create => Action::Create,
                },
                Some(choice),
            ),
            (None, Some(at)) => (
                RowStatus::DuplicateInFile,
                match choice {
                    DuplicateChoice::Skip => Action::Skip,
                    DuplicateChoice::Update => Action::IntoRow(at),
                    DuplicateChoice::Create => Action::Create,
                },
                Some(choice),
            ),
            (None, None) => (RowStatus::New, Action::Create, None),
        };
        let index = rows.len();
        for (n, _) in &valid.phones {
            seen_phones.entry(n.clone()).or_insert(index);
        }
        if let Some(e) = &valid.email {
            seen_emails.entry(e.to_lowercase()).or_insert(index);
        }
        rows.push(Planned {
            line: source.line,
            duplicate_of_line: match (&duplicate_of, earlier) {
                (None, Some(at)) => Some(rows[at].line),
                _ => None,
            },
            valid,
            status,
            action,
            choice,
            duplicate_of,
        });
    }
    Ok(Plan {
        rows,
        invalid,
        total: table.rows.len() as u32,
    })
}

impl Plan {
    /// The counts, the preview and the lists the import screen shows.
    pub(crate) fn report(&self, tag: Option<&str>) -> ImportReport {
        let count = |s: RowStatus| self.rows.iter().filter(|r| r.status == s).count() as u32;
        let acting =
            |f: fn(&Action) -> bool| self.rows.iter().filter(|r| f(&r.action)).count() as u32;
        let preview_row = |r: &Planned| PreviewRow {
            line: r.line,
            status: r.status,
            full_name: r.valid.full_name.clone(),
            phones: r
                .valid
                .phones
                .iter()
                .map(|(n, _)| phone::display(n))
                .collect(),
            email: r.valid.email.clone(),
            company_name: r.valid.company_name.clone(),
            birthday: r.valid.birthday.clone(),
            tags: {
                let mut tags = r.valid.tags.clone();
                if let (Action::Create, Some(t)) = (&r.action, tag) {
                    tags.push(t.to_string());
                }
                tags
            },
            duplicate_of: r.duplicate_of.clone(),
            duplicate_of_line: r.duplicate_of_line,
            choice: r.choice,
        };
        ImportReport {
            total: self.total,
            new_count: count(RowStatus::New),
            duplicate_count: count(RowStatus::Duplicate),
            duplicate_in_file_count: count(RowStatus::DuplicateInFile),
            invalid_count: self.invalid.len() as u32,
            to_create: acting(|a| matches!(a, Action::Create)),
            to_update: acting(|a| matches!(a, Action::Update(_) | Action::IntoRow(_))),
            to_skip: acting(|a| matches!(a, Action::Skip)) + self.invalid.len() as u32,
            preview: self
                .rows
                .iter()
                .take(PREVIEW_ROWS)
                .map(preview_row)
                .collect(),
            duplicates: self
                .rows
                .iter()
                .filter(|r| r.status != RowStatus::New)
                .take(LISTED)
                .map(preview_row)
                .collect(),
            invalid: self.invalid.iter().take(LISTED).cloned().collect(),
        }
    }
}

impl Store {
    /// The dry run over the whole table: nothing is written.
    pub fn import_dry_run(&self, table: &Table, options: &ImportOptions) -> Result<ImportReport> {
        let plan = plan(&self.conn, table, options)?;
        Ok(plan.report(clean_tag(options).as_deref()))
    }

    /// Every invalid row of the table (the report lists only the first ones).
    pub fn import_invalid_rows(
        &self,
        table: &Table,
        options: &ImportOptions,
    ) -> Result<Vec<InvalidRow>> {
        Ok(plan(&self.conn, table, options)?.invalid)
    }
}

/// The import's tag, trimmed; `None` when blank.
pub(crate) fn clean_tag(options: &ImportOptions) -> Option<String> {
    crate::base::fold::clean(options.tag.as_deref())
}

/// The invalid rows as a CSV file to fix and import again: the original cells, then the line
/// and the reason (UTF-8 with a BOM, so Excel reads Vietnamese).
pub fn invalid_rows_csv(
    table: &Table,
    invalid: &[InvalidRow],
    reason: impl Fn(usize, &InvalidRow) -> String,
) -> Vec<u8> {
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let mut header = table.headers.clone();
        header.push("Dòng".to_string());
        header.push("Lỗi".to_string());
        let _ = w.write_record(&header);
        let by_line: HashMap<u32, &crate::import::model::SourceRow> =
            table.rows.iter().map(|r| (r.line, r)).collect();
        for (i, bad) in invalid.iter().enumerate() {
            let mut record: Vec<String> = by_line
                .get(&bad.line)
                .map(|r| r.cells.clone())
                .unwrap_or_default();
            record.resize(table.headers.len(), String::new());
            record.push(bad.line.to_string());
            record.push(reason(i, bad));
            let _ = w.write_record(&record);
        }
        let _ = w.flush();
    }
    out
}
