//! Taking the book elsewhere: the customer list as it is filtered, to a spreadsheet (`.xlsx`),
//! text (`.csv`, UTF-8 with a BOM so Excel reads Vietnamese), a phone's contacts (`.vcf` 3.0)
//! or a calendar (`.ics`: open tasks and birthdays); interactions to `.xlsx` or `.csv`.
//! Exported files import back into Tend as the same customers.

pub mod book;
pub mod calendar;
pub mod model;
pub mod table;
pub mod vcard;
pub mod write;
