//! Search as you type over customers.
//!
//! The FTS5 table `customer_search` holds, per live customer, the name with its diacritics
//! (`name_exact`), the folded name (`name_folded`), the folded company, email, tags and notes
//! (`other_folded`) and digit suffixes of every phone (`phones`). A query is run in tiers, each
//! bounded by the number of results still wanted, so its cost does not grow with the number of
//! matches (an `ORDER BY rank` over half the table would):
//!
//! 1. the name with the query's exact diacritics ("Dương" before "Đường");
//! 2. the folded name ("duc" finds "Đức");
//! 3. any field (company, email, tags, notes, phone digits).
//!
//! Within a tier, the newest customers come first: a search row's rowid is minus the customer's
//! sequence number (`search_index`), so FTS5's natural order, which costs nothing extra, is
//! "newest first". Pages go on from an offset; the total is counted up to `TOTAL_CAP` (the list says "1.000+"
//! beyond), which keeps counting bounded: counting every match of a two-letter prefix among 100k
//! customers would cost more than the search itself.
//!
//! Every query word is a prefix ("ngu" finds "Nguyễn"), and the query is split into letters and
//! digits before it reaches FTS5, so quotes, `*`, `NEAR` or `-` are only ever text.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::Result;
use crate::base::fold;
use crate::crm::customers::{with_tags, CustomerSummary};
use crate::db::store::Store;

/// Totals above this are shown as "at least".
pub const TOTAL_CAP: i64 = 1_000;

/// A page of search results and how many customers match in all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchPage {
    pub items: Vec<CustomerSummary>,
    /// How many live customers match (at most [`TOTAL_CAP`]).
    #[ts(type = "number")]
    pub total: i64,
    /// More than `total` match: the count stopped at the cap.
    pub more_than_total: bool,
}

impl Store {
    /// Live customers matching `query`, best first, at most `limit` (1 to 200).
    pub fn search_customers(&self, query: &str, limit: usize) -> Result<Vec<CustomerSummary>> {
        search(&self.conn, query, 0, limit.clamp(1, 200))
    }

    /// A page of the customers matching `query`, best first, with the total.
    pub fn search_customers_page(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> Result<SearchPage> {
        let items = search(&self.conn, query, offset, limit.clamp(1, 200))?;
        let total = count(&self.conn, query)?;
        Ok(SearchPage {
            items,
            total: total.min(TOTAL_CAP),
            more_than_total: total > TOTAL_CAP,
        })
    }
}

/// The FTS5 expressions of the three tiers, or `None` for a query with no words.
fn tiers(query: &str) -> Option<[String; 3]> {
    let exact_words: Vec<String> = fold::tokens(&fold::exact(query))
        .map(String::from)
        .collect();
    if exact_words.is_empty() {
        return None;
    }
    let folded_words = join_digit_runs(fold::tokens(&fold::fold(query)));
    let name_exact = format!("{{name_exact}} : ({})", prefixes(&exact_words));
    let name_folded = format!("{{name_folded}} : ({})", prefixes(&folded_words));
    let any = format!(
        "{{name_folded other_folded phones}} : ({})",
        folded_words
            .iter()
            .map(|w| any_field_term(w))
            .collect::<Vec<_>>()
            .join(" AND ")
    );
    Some([name_exact, name_folded, any])
}

/// How many customers match, counting at most one past the cap. The last tier matches every
/// customer the others do, so it alone is counted.
fn count(conn: &Connection, query: &str) -> Result<i64> {
    let Some([_, _, any]) = tiers(query) else {
        return Ok(0);
    };
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM (SELECT 1 FROM customer_search WHERE customer_search MATCH ?1
             LIMIT ?2)",
        )?
        .query_row(params![any, TOTAL_CAP + 1], |r| r.get(0))?)
}

fn search(
    conn: &Connection,
    query: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<CustomerSummary>> {
    let Some(tiers) = tiers(query) else {
        return Ok(Vec::new());
    };
    // Everything up to the end of the page, in order; the page is its tail.
    let need = offset + limit;
    let mut rowids: Vec<i64> = Vec::with_capacity(need);
    let mut seen = std::collections::HashSet::with_capacity(need);
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2",
    )?;
    for expr in tiers {
        if rowids.len() >= need {
            break;
        }
        // Ask for enough to fill the page even if every row of the earlier tiers comes back again.
        let want = (need + rowids.len()) as i64;
        let found = stmt
            .query_map(params![expr, want], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for id in found {
            if rowids.len() >= need {
                break;
            }
            if seen.insert(id) {
                rowids.push(id);
            }
        }
    }
    let rowids: Vec<i64> = rowids.into_iter().skip(offset).collect();
    if rowids.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::to_string(&rowids).map_err(|e| crate::Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, -c.search_seq AS rowid FROM customers c
         WHERE c.search_seq IN (SELECT -value FROM json_each(?1)) AND c.deleted_at IS NULL",
        CustomerSummary::COLUMNS
    ))?;
    let mut rows: Vec<(i64, CustomerSummary)> = stmt
        .query_map([json], |r| {
            Ok((r.get("rowid")?, CustomerSummary::from_row(r)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Back into tier order.
    rows.sort_by_key(|(rowid, _)| rowids.iter().position(|x| x == rowid));
    with_tags(conn, rows.into_iter().map(|(_, c)| c).collect())
}

/// Joins neighbouring all-digit words: "0912 345 678" is one phone number, not three numbers.
fn join_digit_runs<'a>(words: impl Iterator<Item = &'a str>) -> Vec<String> {
    let is_digits = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    let mut out: Vec<String> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(last) if is_digits(last) && is_digits(w) => last.push_str(w),
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// `"w1"* AND "w2"*`: every word, as a quoted prefix.
fn prefixes(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// One query word against any field. A digit run may also be a phone number typed with +84 or
/// 84 in front, which the index holds in its 0-prefixed national form.
fn any_field_term(word: &str) -> String {
    if word.len() >= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(rest) = word.strip_prefix("84") {
            return format!("(\"{word}\"* OR \"0{rest}\"*)");
        }
    }
    format!("\"{word}\"*")
}
