//! The plain data of an import: the table read from a file, the column mapping, the choices for
//! duplicates, and the dry-run report.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::ErrorPayload;
use crate::base::ids::{CustomerId, ImportId};
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;

/// The file formats Tend reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportFormat {
    Xlsx,
    Xls,
    Ods,
    Csv,
    Tsv,
    Vcf,
}

text_enum!(ImportFormat { Xlsx => "xlsx", Xls => "xls", Ods => "ods", Csv => "csv", Tsv => "tsv", Vcf => "vcf" });

/// One data row of a file: its line (or spreadsheet row) number as the user sees it, and its
/// cells as text.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// A file read into rows of text, whatever its format.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub file_name: String,
    pub format: ImportFormat,
    /// The text encoding a delimited file was read in (`UTF-8`, `UTF-16LE`, `windows-1258`…).
    pub encoding: Option<String>,
    pub headers: Vec<String>,
    /// The line of the header row (rows above it, such as a merged title, are left out).
    pub header_line: u32,
    pub rows: Vec<SourceRow>,
}

/// What a column of the file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportField {
    Skip,
    FullName,
    FamilyName,
    MiddleName,
    GivenName,
    Phone,
    Email,
    Company,
    Address,
    Birthday,
    Notes,
    Tags,
    Zalo,
    Source,
}

text_enum!(ImportField {
    Skip => "skip", FullName => "full_name", FamilyName => "family_name", MiddleName => "middle_name",
    GivenName => "given_name", Phone => "phone", Email => "email", Company => "company",
    Address => "address", Birthday => "birthday", Notes => "notes", Tags => "tags", Zalo => "zalo",
    Source => "source"
});

impl ImportField {
    /// Fields that several columns may feed (each column adds to the list).
    pub fn repeats(self) -> bool {
        matches!(
            self,
            ImportField::Phone | ImportField::Tags | ImportField::Notes
        )
    }
}

/// A column of the file with the field Tend proposes for it and a few of its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportColumn {
    pub index: u32,
    pub header: String,
    pub field: ImportField,
    pub samples: Vec<String>,
}

/// A file read and ready to map: what the import screen shows first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportOpened {
    pub file_name: String,
    pub format: ImportFormat,
    pub encoding: Option<String>,
    pub row_count: u32,
    pub header_line: u32,
    pub columns: Vec<ImportColumn>,
    /// The tag proposed for everyone the import creates: "Nhập từ <file name>".
    pub default_tag: String,
}

/// What to do with a row whose phone or email a customer (or an earlier row) already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateChoice {
    /// Leave the customer as they are.
    #[default]
    Skip,
    /// Fill the customer's empty fields and add the new phones and tags.
    Update,
    /// Create a second customer anyway.
    Create,
}

text_enum!(DuplicateChoice { Skip => "skip", Update => "update", Create => "create" });

/// A choice for one row that differs from the import's general one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowChoice {
    pub line: u32,
    pub choice: DuplicateChoice,
}

/// How to import a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
#[serde(default)]
#[ts(export)]
pub struct ImportOptions {
    /// The field of each column, in column order; missing columns are skipped.
    pub mapping: Vec<ImportField>,
    pub on_duplicate: DuplicateChoice,
    pub row_choices: Vec<RowChoice>,
    /// A tag added to everyone the import creates; none when empty.
    pub tag: Option<String>,
}

/// What the dry run found for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RowStatus {
    New,
    /// A customer in the book has this phone or email.
    Duplicate,
    /// An earlier row of the file has this phone or email.
    DuplicateInFile,
    Invalid,
}

/// A row as it will be stored, for the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    pub line: u32,
    pub status: RowStatus,
    pub full_name: String,
    /// As a Vietnamese user reads them: `0912 345 678`.
    pub phones: Vec<String>,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub birthday: Option<String>,
    pub tags: Vec<String>,
    /// The customer this row duplicates, if one in the book.
    pub duplicate_of: Option<DuplicateOf>,
    /// The earlier line of the file this row duplicates.
    pub duplicate_of_line: Option<u32>,
    /// What will happen to a duplicate (the general choice or this row's own).
    pub choice: Option<DuplicateChoice>,
}

/// The customer in the book a row matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateOf {
    pub id: CustomerId,
    pub full_name: String,
    /// `phone` or `email`.
    pub by: String,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvalidRow {
    pub line: u32,
    /// The name cell(s), to recognise the row by.
    pub name: String,
    pub error: ErrorPayload,
}

/// The dry run over the whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub total: u32,
    pub new_count: u32,
    pub duplicate_count: u32,
    pub duplicate_in_file_count: u32,
    pub invalid_count: u32,
    /// What writing would do, with the choices as they are.
    pub to_create: u32,
    pub to_update: u32,
    pub to_skip: u32,
    /// The first rows of the file as they will be stored.
    pub preview: Vec<PreviewRow>,
    /// The duplicates (the first 500), to change the choice row by row.
    pub duplicates: Vec<PreviewRow>,
    /// The invalid rows (the first 500; the download has all of them).
    pub invalid: Vec<InvalidRow>,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportSummary {
    pub id: ImportId,
    pub file_name: String,
    pub tag: Option<String>,
    pub created: u32,
    pub updated: u32,
    pub skipped: u32,
    pub invalid: u32,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number | null")]
    pub undone_at: Option<UtcMillis>,
}
