//! What to export, and what an export wrote.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::ids::{CustomerId, SegmentId, TagId};
use crate::base::text_enum::text_enum;

/// The file formats Tend writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Vcf,
    Ics,
}

text_enum!(ExportFormat { Xlsx => "xlsx", Csv => "csv", Vcf => "vcf", Ics => "ics" });

impl ExportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }
}

/// Customers, or the interactions of those customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportWhat {
    #[default]
    Customers,
    Interactions,
}

/// A column of the customer export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportColumn {
    FullName,
    Phones,
    Email,
    Company,
    Address,
    Birthday,
    Zalo,
    Tags,
    Notes,
    Source,
    Stage,
    Temperature,
    LastContact,
    CreatedAt,
}

impl ExportColumn {
    /// Every column, in the order a file has them.
    pub const ALL: [ExportColumn; 14] = [
        ExportColumn::FullName,
        ExportColumn::Phones,
        ExportColumn::Email,
        ExportColumn::Company,
        ExportColumn::Address,
        ExportColumn::Birthday,
        ExportColumn::Zalo,
        ExportColumn::Tags,
        ExportColumn::Notes,
        ExportColumn::Source,
        ExportColumn::Stage,
        ExportColumn::Temperature,
        ExportColumn::LastContact,
        ExportColumn::CreatedAt,
    ];
}

/// Which customers, which columns, which file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub what: ExportWhat,
    /// The columns of a customer spreadsheet or CSV; all of them when empty.
    pub columns: Vec<ExportColumn>,
    /// The customers with this tag.
    pub tag_id: Option<TagId>,
    /// The customers with the tag of this name (the command line names tags).
    pub tag_name: Option<String>,
    /// The customers this search finds.
    pub search: Option<String>,
    /// The customers in this segment now (resolved by `Store::export_book`).
    pub segment_id: Option<SegmentId>,
    /// The customers a segment resolved to; set by `Store::export_book`, never sent.
    #[serde(skip)]
    #[ts(skip)]
    pub only: Option<std::collections::HashSet<CustomerId>>,
}

impl Default for ExportRequest {
    fn default() -> Self {
        ExportRequest {
            format: ExportFormat::Xlsx,
            what: ExportWhat::Customers,
            columns: Vec::new(),
            tag_id: None,
            tag_name: None,
            search: None,
            segment_id: None,
            only: None,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    pub path: String,
    /// Customers, interactions, or calendar entries written.
    pub count: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}
