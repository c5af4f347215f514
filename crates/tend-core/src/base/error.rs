//! The one error type of the core, with a closed set of codes and a stable key per problem.
//!
//! The UI words every error itself, in the user's language, from `key` and `params`; `message`
//! is the English text for logs and the command line. No UI code reads `message`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The closed set of error codes that cross the IPC boundary. The UI switches on these and never
/// on message text, so adding a code is an API change: update the UI's handling with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The input was rejected; `field` names the offending field when there is one.
    InvalidInput,
    /// The thing asked for does not exist (or was deleted for good).
    NotFound,
    /// The change conflicts with existing data (a duplicate name, for instance).
    Conflict,
    /// The database was written by a newer version of Tend; this one refuses to touch it.
    NewerDatabase,
    /// The disk is full or the database file cannot be written.
    Storage,
    /// Anything else: a bug or an unexpected state. The message says what.
    Internal,
}

/// The shape of every error that crosses IPC. The UI switches on `code`, words the error from
/// `key` and `params` (a catalog entry per key, in each language), and puts it beside the form
/// field named by `field` when there is one. `message` is English, for logs only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    /// A stable, dotted name of the problem, e.g. `phone.invalid_vietnamese`.
    pub key: String,
    /// The values the wording needs, e.g. `{value: "0912"}`. Numbers are decimal strings.
    pub params: BTreeMap<String, String>,
    pub message: String,
    pub field: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            code: e.code(),
            key: e.key(),
            params: e
                .params()
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            message: e.to_string(),
            field: e.field_name().map(String::from),
        }
    }
}

/// Named values an error's wording needs, in the order they were added.
pub type Params = Vec<(&'static str, String)>;

/// Errors of the core. Each maps to one [`ErrorCode`] and one stable key.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    InvalidInput {
        field: Option<&'static str>,
        key: &'static str,
        params: Params,
        message: String,
    },
    /// The key is `not_found.<what>`.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{message}")]
    Conflict {
        key: &'static str,
        params: Params,
        message: String,
    },
    #[error(
        "this database was written by a newer version of Tend (schema version {found}, this \
         version knows up to {known}); update Tend to open it"
    )]
    NewerDatabase { found: i64, known: i64 },
    #[error("the database could not be written: {0}")]
    Storage(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    #[error("{0}")]
    Internal(String),
    /// Something outside Tend refused or failed (a service, the system) in a way the user can
    /// act on; the code is `internal`, the key says what.
    #[error("{message}")]
    Failed {
        key: &'static str,
        params: Params,
        message: String,
    },
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error about one field, with the stable key the UI words it from.
    pub fn field(field: &'static str, key: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: Some(field),
            key,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// A change that conflicts with the data as it is.
    pub fn conflict(key: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            key,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// A failure outside Tend that the user can act on, with its key.
    pub fn failed(key: &'static str, message: impl Into<String>) -> Self {
        Error::Failed {
            key,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// Adds a value the wording needs (`{value}`, `{step}`, …). Other variants ignore it.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        if let Error::InvalidInput { params, .. }
        | Error::Conflict { params, .. }
        | Error::Failed { params, .. } = &mut self
        {
            params.push((name, value.to_string()));
        }
        self
    }

    /// The same input error, about another field (a phone checked for the `zalo_phone` field).
    pub fn on_field(mut self, name: &'static str) -> Self {
        if let Error::InvalidInput { field, .. } = &mut self {
            *field = Some(name);
        }
        self
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Sqlite(_) | Error::Internal(_) | Error::Failed { .. } => ErrorCode::Internal,
        }
    }

    /// The stable key of this problem, which the UI's catalogs word in each language.
    pub fn key(&self) -> String {
        match self {
            Error::InvalidInput { key, .. }
            | Error::Conflict { key, .. }
            | Error::Failed { key, .. } => key.to_string(),
            Error::NotFound(what) => format!("not_found.{what}"),
            Error::NewerDatabase { .. } => "database.newer".into(),
            Error::Storage(_) => "storage.unwritable".into(),
            Error::Sqlite(_) => "internal.database".into(),
            Error::Internal(_) => "internal.unexpected".into(),
        }
    }

    /// The values the wording of this error needs.
    pub fn params(&self) -> Params {
        match self {
            Error::InvalidInput { params, .. }
            | Error::Conflict { params, .. }
            | Error::Failed { params, .. } => params.clone(),
            Error::NewerDatabase { found, known } => {
                vec![("found", found.to_string()), ("known", known.to_string())]
            }
            _ => Vec::new(),
        }
    }

    /// One parameter by name, if the error carries it.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The field an input error is about, if any.
    pub fn field_name(&self) -> Option<&'static str> {
        match self {
            Error::InvalidInput { field, .. } => *field,
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        match &e {
            rusqlite::Error::QueryReturnedNoRows => Error::NotFound("record"),
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    C::DiskFull | C::ReadOnly | C::CannotOpen | C::SystemIoFailure
                ) =>
            {
                Error::Storage(e.to_string())
            }
            // A damaged file: the app offers to put the latest good backup in its place.
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, C::DatabaseCorrupt | C::NotADatabase) =>
            {
                Error::failed(
                    "db.damaged",
                    format!("the database file is damaged ({e}); restore a backup"),
                )
            }
            _ => Error::Sqlite(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_carries_key_params_and_field() {
        let e =
            Error::field("phone", "phone.too_short", "“0912” is too short").with("value", "0912");
        let p = ErrorPayload::from(&e);
        assert_eq!(p.code, ErrorCode::InvalidInput);
        assert_eq!(p.key, "phone.too_short");
        assert_eq!(p.params.get("value").map(String::as_str), Some("0912"));
        assert_eq!(p.field.as_deref(), Some("phone"));
        assert_eq!(p.message, "“0912” is too short");
    }

    #[test]
    fn every_variant_has_a_key() {
        assert_eq!(Error::NotFound("customer").key(), "not_found.customer");
        let newer = Error::NewerDatabase { found: 9, known: 3 };
        assert_eq!(newer.key(), "database.newer");
        assert_eq!(newer.param("found").as_deref(), Some("9"));
        assert_eq!(
            Error::Storage("disk full".into()).key(),
            "storage.unwritable"
        );
    }
}
