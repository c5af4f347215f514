//! A segment: a name and criteria, combined with all/any, with one level of grouping. The
//! criteria are stored as JSON and evaluated live each time (never a stale copy of who is in).

use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::ids::SegmentId;
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;

/// How criteria combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchMode {
    #[default]
    All,
    Any,
}

/// What a criterion looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SegmentField {
    /// Tag ids in `values` (or `value`): has any, all, or none of them.
    #[default]
    Tag,
    Lifecycle,
    Temperature,
    Source,
    /// Province or city, read from the address (aliases such as "TP.HCM", "Sài Gòn").
    Province,
    /// Words in the address ("Quận 7").
    Address,
    Company,
    /// Created between / before / after local dates (`YYYY-MM-DD`).
    Created,
    /// Last contact before / after a local date.
    LastContact,
    /// No contact in the last N days (`value`), never contacted included.
    NoContactDays,
    /// A follow-up due within N days (`value`; 0 = due today or overdue).
    FollowUpDue,
    /// Birthday within the next N days (`value`; 0 = today).
    BirthdayWithinDays,
    /// `telegram`, `zalo_id`, `zalo_phone` (a phone Zalo template messages can reach), `email`.
    HasChannel,
    /// Enrolled (active or paused) in the scenario `value`.
    Scenario,
    /// Was sent the campaign `value`.
    Campaign,
    /// Consent on the channel `value` (`telegram`, `zalo`, `email`).
    Consent,
    DoNotContact,
}

text_enum!(SegmentField {
    Tag => "tag", Lifecycle => "lifecycle", Temperature => "temperature", Source => "source",
    Province => "province", Address => "address", Company => "company", Created => "created",
    LastContact => "last_contact", NoContactDays => "no_contact_days", FollowUpDue => "follow_up_due",
    BirthdayWithinDays => "birthday_within_days", HasChannel => "has_channel", Scenario => "scenario",
    Campaign => "campaign", Consent => "consent", DoNotContact => "do_not_contact"
});

/// How a criterion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CriterionOp {
    /// Has any of (tags), has (a channel), is enrolled / was sent, is set.
    #[default]
    Has,
    /// Has every one of (tags).
    HasAll,
    /// Has none of / has not / is not enrolled / was not sent / is not set.
    HasNot,
    Is,
    IsNot,
    Contains,
    Before,
    After,
    Between,
    /// Number-of-days criteria.
    Within,
    /// Consent states.
    Given,
    Withdrawn,
    NotRecorded,
}

/// One criterion. Which of `value`, `values`, `to` it reads depends on the field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Criterion {
    pub field: SegmentField,
    pub op: CriterionOp,
    pub value: Option<String>,
    pub values: Vec<String>,
    /// The end of a `between` range.
    pub to: Option<String>,
}

impl Criterion {
    /// `values` and `value` together, blanks left out.
    pub(crate) fn all_values(&self) -> Vec<String> {
        self.values
            .iter()
            .chain(self.value.iter())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

/// Criteria combined the same way inside a top-level list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct CriteriaGroup {
    #[serde(rename = "match")]
    pub match_: MatchMode,
    pub criteria: Vec<Criterion>,
}

/// A segment's criteria: the top-level criteria and groups, combined by `match`. No criteria at
/// all is the whole book.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SegmentDefinition {
    #[serde(rename = "match")]
    pub match_: MatchMode,
    pub criteria: Vec<Criterion>,
    pub groups: Vec<CriteriaGroup>,
}

impl SegmentDefinition {
    pub(crate) fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::Internal(e.to_string()))
    }

    pub(crate) fn from_json(json: &str) -> Result<SegmentDefinition> {
        serde_json::from_str(json)
            .map_err(|e| Error::Internal(format!("a stored segment could not be read: {e}")))
    }
}

/// What the segment form sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentInput {
    pub name: String,
    pub definition: SegmentDefinition,
}

/// A saved segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub definition: SegmentDefinition,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
}

impl Segment {
    pub(crate) const COLUMNS: &str = "id, name, definition, created_at, updated_at";

    pub(crate) fn from_row(r: &Row<'_>) -> rusqlite::Result<Segment> {
        let json: String = r.get("definition")?;
        // Never "no criteria" for criteria that cannot be read: that would be the whole book.
        let definition = SegmentDefinition::from_json(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                Box::new(std::io::Error::other(e.to_string())),
            )
        })?;
        Ok(Segment {
            id: r.get("id")?,
            name: r.get("name")?,
            definition,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
        })
    }
}

/// A segment in the list, with how many live customers are in it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SegmentSummary {
    pub segment: Segment,
    #[ts(type = "number")]
    pub count: i64,
}

/// A page of a segment's customers (a saved one, or criteria being edited).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SegmentListQuery {
    pub segment_id: Option<SegmentId>,
    pub definition: Option<SegmentDefinition>,
    pub sort: crate::crm::customers::CustomerSort,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}
