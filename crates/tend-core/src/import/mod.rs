//! Importing a book from elsewhere: reading spreadsheets, delimited text and vCards into one
//! table, proposing which column is which field, a dry run that finds invalid rows and
//! duplicates, and writing it all in one transaction that "undo this import" can take back.

pub mod delimited;
pub mod mapping;
pub mod model;
pub mod plan;
pub mod rows;
pub mod source;
pub mod spreadsheet;
pub mod vcard;
pub mod write;
