//! The database: opening, pragmas, schema and migrations, and plain settings.
//!
//! Reading rows, everywhere in the crate: a type read from SQL has a `COLUMNS` select list (and a
//! `FROM` when the list spans a join) and a `from_row` that reads each column by its name, with
//! `AS` naming computed and joined columns. Reordering a SELECT then cannot swap two fields of
//! the same type; a renamed column fails loudly. Only single-column reads use `get(0)`.

pub mod auto_backup;
pub mod backup;
pub mod effects;
pub mod settings;
pub mod store;
