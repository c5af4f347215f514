//! Search as you type over customers.
//!
//! The FTS5 table `customer_search` holds, per live customer, the name with its diacritics
//! (`name_exact`), the folded name (`name_folded`), the folded company, email, tags and notes
//! (`other_folded`) and digit suffixes of every phone (`phones`). Matches are ranked in tiers:
//!
//! 1. the name with the query's exact diacritics ("Dương" before "Đường");
//! 2. the folded name ("duc" finds "Đức");
//! 3. any field (company, email, tags, notes, phone digits).
//!
//! Within a tier, the most recently added or contacted customers come first (a note is not
//! contact). A search row's rowid is minus the customer's sequence number (`search_index`), so
//! FTS5's natural order, which costs nothing extra, is "newest added first".
//!
//! The cost must not grow with the number of matches (an `ORDER BY rank` over half the table
//! would), so there are two ways through:
//! - Few matches (up to [`FEW`], a full name typed out): the last tier, which matches all that
//!   the others do, is asked once; each match is placed in its tier in memory (`Tier::matches`
//!   decides what the FTS5 expression decides) and ordered by the later of its last contact and
//!   its creation. The total is their number.
//! - Many matches (a prefix of two letters): each tier is asked for just enough rows in the
//!   index's order, and the [`RECENT_CONTACTS`] customers contacted last are matched in memory
//!   and merged in by the time of that contact. The total is counted up to [`TOTAL_CAP`] (the
//!   list says "1.000+" beyond).
//!
//! Contact is merged at query time rather than by moving a customer's search row on every
//! logged call: an FTS5 row move re-indexes every prefix of every phone suffix, over a
//! millisecond on each call.
//!
//! Every query word is a prefix ("ngu" finds "Nguyễn"), and the query is split into letters and
//! digits before it reaches FTS5, so quotes, `*`, `NEAR` or `-` are only ever text.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::Result;
use crate::base::fold;
use crate::crm::customers::{with_tags, CustomerSummary};
use crate::db::store::Store;

/// Totals above this are shown as "at least".
pub const TOTAL_CAP: i64 = 1_000;

/// How many of the customers contacted last are ranked by that contact.
pub const RECENT_CONTACTS: i64 = 100;

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
        Ok(search(&self.conn, query, 0, limit.clamp(1, 200))?.0)
    }

    /// A page of the customers matching `query`, best first, with the total.
    pub fn search_customers_page(
        &self,
        query: &str,
        offset: usize,
        limit: usize,
    ) -> Result<SearchPage> {
        let (items, all) = search(&self.conn, query, offset, limit.clamp(1, 200))?;
        let total = match all {
            Some(n) => n,
            None => count(&self.conn, query)?,
        };
        Ok(SearchPage {
            items,
            total: total.min(TOTAL_CAP),
            more_than_total: total > TOTAL_CAP,
        })
    }
}

/// The columns of `customer_search`, in table order.
#[derive(Debug, Clone, Copy)]
enum Column {
    NameExact = 0,
    NameFolded = 1,
    Other = 2,
    Phones = 3,
}

const COLUMN_NAMES: [&str; 4] = ["name_exact", "name_folded", "other_folded", "phones"];

/// One tier of a query: some columns, and words that must each begin a token in one of them.
/// A word has alternatives (a phone typed with 84 in front is also looked for with 0). The FTS5
/// expression and the in-memory test are both derived from this, so they cannot disagree.
struct Tier {
    columns: &'static [Column],
    words: Vec<Vec<String>>,
}

impl Tier {
    /// `{cols} : ("w1"* AND ("w2"* OR "w2b"*))`.
    fn expr(&self) -> String {
        let cols: Vec<&str> = self
            .columns
            .iter()
            .map(|c| COLUMN_NAMES[*c as usize])
            .collect();
        let words: Vec<String> = self
            .words
            .iter()
            .map(|alts| {
                let terms: Vec<String> = alts.iter().map(|w| format!("\"{w}\"*")).collect();
                match terms.len() {
                    1 => terms[0].clone(),
                    _ => format!("({})", terms.join(" OR ")),
                }
            })
            .collect();
        format!("{{{}}} : ({})", cols.join(" "), words.join(" AND "))
    }

    /// What the FTS5 expression decides, for a row already in memory: every word begins a token
    /// (a run of letters and digits, as the unicode61 tokenizer splits them) of some column.
    fn matches(&self, row: &[String; 4]) -> bool {
        self.words.iter().all(|alts| {
            self.columns.iter().any(|c| {
                fold::tokens(&row[*c as usize])
                    .any(|token| alts.iter().any(|w| token.starts_with(w.as_str())))
            })
        })
    }
}

/// The three tiers of a query, or `None` for a query with no words.
fn tiers(query: &str) -> Option<[Tier; 3]> {
    let exact_words: Vec<String> = fold::tokens(&fold::exact(query))
        .map(String::from)
        .collect();
    if exact_words.is_empty() {
        return None;
    }
    let folded_words = join_digit_runs(fold::tokens(&fold::fold(query)));
    let one = |words: &[String]| words.iter().map(|w| vec![w.clone()]).collect();
    Some([
        Tier {
            columns: &[Column::NameExact],
            words: one(&exact_words),
        },
        Tier {
            columns: &[Column::NameFolded],
            words: one(&folded_words),
        },
        Tier {
            columns: &[Column::NameFolded, Column::Other, Column::Phones],
            words: folded_words
                .iter()
                .map(|w| any_field_alternatives(w))
                .collect(),
        },
    ])
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
        .query_row(params![any.expr(), TOTAL_CAP + 1], |r| r.get(0))?)
}

/// A customer among the [`RECENT_CONTACTS`] contacted last, with its search row.
struct Recent {
    rowid: i64,
    /// The later of its last contact and its creation.
    key: i64,
    row: [String; 4],
}

fn recent_contacts(conn: &Connection) -> Result<Vec<Recent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.rowid, max(c.last_contact_date, c.created_at),
                s.name_exact, s.name_folded, s.other_folded, s.phones
         FROM (SELECT search_seq, last_contact_date, created_at FROM customers
               WHERE deleted_at IS NULL AND last_contact_date IS NOT NULL
               ORDER BY last_contact_date DESC LIMIT ?1) c
         JOIN customer_search s ON s.rowid = -c.search_seq",
    )?;
    let rows = stmt
        .query_map([RECENT_CONTACTS], |r| {
            Ok(Recent {
                rowid: r.get(0)?,
                key: r.get(1)?,
                row: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// When each customer of `rowids` was added, by search rowid.
fn added_at(conn: &Connection, rowids: &[i64]) -> Result<HashMap<i64, i64>> {
    let json = serde_json::to_string(rowids).map_err(|e| crate::Error::Internal(e.to_string()))?;
    let mut stmt = conn.prepare_cached(
        "SELECT -search_seq, created_at FROM customers
         WHERE search_seq IN (SELECT -value FROM json_each(?1))",
    )?;
    let pairs = stmt
        .query_map([json], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<HashMap<i64, i64>>>()?;
    Ok(pairs)
}

/// Up to this many matches are ranked exactly, all at once; beyond, tier by tier.
pub const FEW: usize = 200;

/// The page of matches, and how many match in all when the search saw every one of them.
fn search(
    conn: &Connection,
    query: &str,
    offset: usize,
    limit: usize,
) -> Result<(Vec<CustomerSummary>, Option<i64>)> {
    let Some(tiers) = tiers(query) else {
        return Ok((Vec::new(), Some(0)));
    };
    // Everything up to the end of the page, in order; the page is its tail.
    let need = offset + limit;
    let (ordered, all) = match few_matches(conn, &tiers, need)? {
        Some(ordered) => {
            let n = ordered.len() as i64;
            (ordered, Some(n))
        }
        None => tier_by_tier(conn, tiers, need)?,
    };
    let rowids: Vec<i64> = ordered.into_iter().skip(offset).take(limit).collect();
    if rowids.is_empty() {
        return Ok((Vec::new(), all));
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
    // Back into ranked order.
    rows.sort_by_key(|(rowid, _)| rowids.iter().position(|x| x == rowid));
    Ok((
        with_tags(conn, rows.into_iter().map(|(_, c)| c).collect())?,
        all,
    ))
}

/// Every match in ranked order, when there are few (at most `FEW`, or `need`): the last tier,
/// which matches all the others do, is asked once, and each match is placed in its tier in
/// memory, then by the later of its last contact and its creation. A full name typed out has few
/// matches but long lists to intersect, so asking the index once instead of four times (three
/// tiers and the count) is most of its cost. `None` when there are more.
fn few_matches(conn: &Connection, tiers: &[Tier; 3], need: usize) -> Result<Option<Vec<i64>>> {
    let cap = need.max(FEW);
    let found = conn
        .prepare_cached(
            "SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2",
        )?
        .query_map(params![tiers[2].expr(), cap as i64 + 1], |r| {
            r.get::<_, i64>(0)
        })?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    if found.len() > cap {
        return Ok(None);
    }
    let json = serde_json::to_string(&found).map_err(|e| crate::Error::Internal(e.to_string()))?;
    // Only the name columns: the first two tiers look at nothing else, and every row is in the
    // third already.
    let mut stmt = conn.prepare_cached(
        "SELECT s.rowid, max(coalesce(c.last_contact_date, c.created_at), c.created_at),
                s.name_exact, s.name_folded
         FROM customers c JOIN customer_search s ON s.rowid = -c.search_seq
         WHERE c.search_seq IN (SELECT -value FROM json_each(?1))",
    )?;
    let mut ranked = stmt
        .query_map([json], |r| {
            let row: [String; 4] = [r.get(2)?, r.get(3)?, String::new(), String::new()];
            let tier = tiers[..2].iter().position(|t| t.matches(&row)).unwrap_or(2);
            Ok((
                tier,
                std::cmp::Reverse(r.get::<_, i64>(1)?),
                r.get::<_, i64>(0)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Tier, then latest first, then the newer customer (the smaller rowid).
    ranked.sort();
    Ok(Some(ranked.into_iter().map(|(_, _, id)| id).collect()))
}

/// The first `need` matches tier by tier, for a query with many: each tier asked for just
/// enough rows, in the index's order (newest added first), with the customers contacted last
/// merged in by the time of that contact. Also how many match in all, when the last tier came
/// back short of its limit.
fn tier_by_tier(
    conn: &Connection,
    tiers: [Tier; 3],
    need: usize,
) -> Result<(Vec<i64>, Option<i64>)> {
    let mut all = None;
    let mut rowids: Vec<i64> = Vec::with_capacity(need);
    let mut seen = HashSet::with_capacity(need);
    let recent = recent_contacts(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 LIMIT ?2",
    )?;
    for (n, tier) in tiers.into_iter().enumerate() {
        if rowids.len() >= need {
            break;
        }
        // Ask for enough to fill the page even if every row of the earlier tiers comes back again.
        let want = (need + rowids.len()) as i64;
        let mut found = stmt
            .query_map(params![tier.expr(), want], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if n == 2 && (found.len() as i64) < want {
            all = Some(found.len() as i64);
        }
        let contacted: Vec<&Recent> = recent.iter().filter(|r| tier.matches(&r.row)).collect();
        if !contacted.is_empty() {
            found = by_recency(conn, found, &contacted)?;
        }
        for id in found {
            if rowids.len() >= need {
                break;
            }
            if seen.insert(id) {
                rowids.push(id);
            }
        }
    }
    Ok((rowids, all))
}

/// The tier's matches in the order "most recently added or contacted first": those found by
/// FTS5 (newest added first, a window long enough for the page) and the recently contacted ones
/// that match, each placed by the later of its contact and its creation.
fn by_recency(conn: &Connection, found: Vec<i64>, contacted: &[&Recent]) -> Result<Vec<i64>> {
    let added = added_at(conn, &found)?;
    let mut keyed: HashMap<i64, i64> = found
        .iter()
        .map(|id| (*id, added.get(id).copied().unwrap_or(i64::MIN)))
        .collect();
    for r in contacted {
        keyed.insert(r.rowid, r.key);
    }
    let mut ordered: Vec<(i64, i64)> = keyed.into_iter().collect();
    // Latest first; between equal times, the newer customer (the smaller rowid).
    ordered.sort_by_key(|(id, key)| (std::cmp::Reverse(*key), *id));
    Ok(ordered.into_iter().map(|(id, _)| id).collect())
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

/// One query word against any field. A digit run may also be a phone number typed with +84 or
/// 84 in front, which the index holds in its 0-prefixed national form.
fn any_field_alternatives(word: &str) -> Vec<String> {
    if word.len() >= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(rest) = word.strip_prefix("84") {
            return vec![word.to_string(), format!("0{rest}")];
        }
    }
    vec![word.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crm::customers::{CustomerInput, PhoneInput};

    /// The in-memory test of a tier decides exactly what FTS5 decides, row by row.
    #[test]
    fn a_tier_matches_in_memory_what_it_matches_in_the_index() {
        let mut s = Store::open_in_memory().unwrap();
        let people = [
            (
                "Nguyễn Văn Đức",
                "0912345678",
                "Công ty Ánh Dương",
                "đã mua máy lọc",
            ),
            (
                "Dương Thị Hà",
                "+84 903 111 222",
                "",
                "khách quen; hẹn thứ 2",
            ),
            ("Đường Quốc Anh", "028 3822 1234", "Cà phê 3/2", ""),
            ("Lê-Trần Ngọc Ánh", "", "O'Brien & Co.", "email: anh@vd.vn"),
            ("Hoàng Nguyên", "0987 000 111", "", "nguyên giá 12.500.000đ"),
        ];
        for (i, (name, phone, company, notes)) in people.iter().enumerate() {
            let input = CustomerInput {
                full_name: name.to_string(),
                phones: if phone.is_empty() {
                    vec![]
                } else {
                    vec![PhoneInput {
                        number: phone.to_string(),
                        label: None,
                    }]
                },
                company_name: (!company.is_empty()).then(|| company.to_string()),
                notes: (!notes.is_empty()).then(|| notes.to_string()),
                tags: vec!["VIP".into(), "Quận 1".into()],
                ..Default::default()
            };
            s.create_customer(&input, true, 1_000 + i as i64).unwrap();
        }
        let rows: Vec<(i64, [String; 4])> = s
            .conn
            .prepare(
                "SELECT rowid, name_exact, name_folded, other_folded, phones FROM customer_search",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let queries = [
            "nguyen",
            "Nguyễn",
            "ngu",
            "duc",
            "Đức",
            "dương",
            "duong",
            "d",
            "ha",
            "anh",
            "Ánh",
            "le tran",
            "tran-le",
            "o'brien",
            "co",
            "3/2",
            "ca phe",
            "0912",
            "912345",
            "84903",
            "+84 903 111",
            "028 3822",
            "12.500",
            "vip",
            "quan 1",
            "khach quen",
            "xyz",
            "a b c",
        ];
        let mut matched = 0;
        for q in queries {
            for tier in tiers(q).unwrap() {
                let expr = tier.expr();
                let mut by_index: Vec<i64> = s
                    .conn
                    .prepare("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1")
                    .unwrap()
                    .query_map([&expr], |r| r.get(0))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                by_index.sort();
                let mut in_memory: Vec<i64> = rows
                    .iter()
                    .filter(|(_, row)| tier.matches(row))
                    .map(|(id, _)| *id)
                    .collect();
                in_memory.sort();
                assert_eq!(by_index, in_memory, "{q:?}: {expr}");
                matched += by_index.len();
            }
        }
        assert!(
            matched > 40,
            "the queries exercise real matches ({matched})"
        );
    }
}
