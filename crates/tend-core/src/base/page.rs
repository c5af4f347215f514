//! Paging: one page of a list and the total it belongs to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One page of a list and the total it is part of.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[ts(type = "number")]
    pub total: i64,
}
