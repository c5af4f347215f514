//! Time-ordered ids (UUIDv7 text) behind newtypes, so a task id is never passed as a customer id.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(export, type = "string")]
        pub struct $name(pub String);

        impl $name {
            /// A new UUIDv7 id: ids sort by creation time.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                String::column_result(v).map(Self)
            }
        }
    };
}

id_type!(
    /// A customer.
    CustomerId
);
id_type!(
    /// An interaction on a customer's timeline.
    InteractionId
);
id_type!(
    /// A follow-up task.
    TaskId
);
id_type!(
    /// A tag.
    TagId
);
id_type!(
    /// A pinned note.
    NoteId
);
id_type!(
    /// One of a customer's phone numbers.
    PhoneId
);
id_type!(
    /// A message template.
    TemplateId
);
id_type!(
    /// A message in the outbox.
    OutboxId
);
id_type!(
    /// A care scenario.
    ScenarioId
);
id_type!(
    /// A step of a care scenario.
    StepId
);
id_type!(
    /// A customer's enrolment in a scenario.
    EnrollmentId
);
id_type!(
    /// An import of a file: what "undo this import" takes back.
    ImportId
);
id_type!(
    /// A merge of duplicate customers: what "undo merge" takes back.
    MergeId
);
id_type!(
    /// A saved segment of the book.
    SegmentId
);
id_type!(
    /// A campaign.
    CampaignId
);
id_type!(
    /// One run of a campaign.
    CampaignRunId
);
id_type!(
    /// A consent record.
    ConsentId
);
