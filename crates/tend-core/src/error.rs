//! The one error type of the core, with a closed set of codes the UI can switch on.

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

/// The shape of every error that crosses IPC: the UI switches on `code`, shows `message`, and
/// puts it beside the form field named by `field` when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload {
            code: e.code(),
            message: e.to_string(),
            field: e.field_name().map(String::from),
        }
    }
}

/// Errors of the core. Each maps to one [`ErrorCode`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    InvalidInput {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
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
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error about one field.
    pub fn field(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: Some(field),
            message: message.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::Storage(_) => ErrorCode::Storage,
            Error::Sqlite(_) | Error::Internal(_) => ErrorCode::Internal,
        }
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
            _ => Error::Sqlite(e),
        }
    }
}
