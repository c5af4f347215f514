//! The duplicate scan: pairs of live customers with the same normalised phone, the same email,
//! or the same folded name with the same company or the same last digits of a phone; each pair
//! with its reason, most certain first. Two whole-table reads and hash maps: 100,000 customers
//! in well under a second.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::Result;
use crate::base::fold;
use crate::base::ids::CustomerId;
use crate::base::phone;
use crate::db::store::Store;

/// Why two customers look like the same person, most certain first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateReason {
    SamePhone,
    SameEmail,
    SameNameAndCompany,
    SameNameAndPhoneEnding,
}

/// One side of a pair, as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateSide {
    pub id: CustomerId,
    pub full_name: String,
    /// The primary phone as a Vietnamese user reads it.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company_name: Option<String>,
}

/// Two customers who are likely one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicatePair {
    pub a: DuplicateSide,
    pub b: DuplicateSide,
    pub reason: DuplicateReason,
}

/// The pairs found, the most certain first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuplicateScan {
    pub total: u32,
    /// The first pairs (all of them up to the limit asked).
    pub pairs: Vec<DuplicatePair>,
}

/// A group larger than this (fifty "Nguyễn Văn An" at no company) says nothing about any two
/// of them, and would make the scan quadratic: it is left out.
const MAX_GROUP: usize = 20;

/// Digits of a phone's ending that count as "the same phone ending".
const ENDING: usize = 7;

struct Person {
    side: DuplicateSide,
    name: String,
}

impl Store {
    /// Scans the live book for likely duplicates; `limit` caps the pairs returned.
    pub fn scan_duplicates(&self, limit: usize) -> Result<DuplicateScan> {
        let mut people: Vec<Person> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT id, full_name, phone_number, email, company_name FROM customers
             WHERE deleted_at IS NULL ORDER BY sort_name, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: CustomerId = r.get("id")?;
            let full_name: String = r.get("full_name")?;
            let number: Option<String> = r.get("phone_number")?;
            index.insert(id.0.clone(), people.len());
            people.push(Person {
                name: fold::fold(&full_name),
                side: DuplicateSide {
                    id,
                    full_name,
                    phone: number.as_deref().map(phone::display),
                    email: r.get("email")?,
                    company_name: r.get("company_name")?,
                },
            });
        }
        let mut groups: HashMap<(DuplicateReason, String), Vec<usize>> = HashMap::new();
        let mut add = |reason: DuplicateReason, key: String, at: usize| {
            let g = groups.entry((reason, key)).or_default();
            if g.last() != Some(&at) {
                g.push(at);
            }
        };
        let mut stmt = self.conn.prepare(
            "SELECT p.customer_id, p.number FROM customer_phones p
             JOIN customers c ON c.id = p.customer_id WHERE c.deleted_at IS NULL
             ORDER BY p.customer_id, p.position",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let customer: String = r.get("customer_id")?;
            let number: String = r.get("number")?;
            let Some(&at) = index.get(&customer) else {
                continue;
            };
            let ending: String = number.chars().rev().take(ENDING).collect();
            add(
                DuplicateReason::SameNameAndPhoneEnding,
                format!("{}|{ending}", people[at].name),
                at,
            );
            add(DuplicateReason::SamePhone, number, at);
        }
        for (at, p) in people.iter().enumerate() {
            if let Some(e) = &p.side.email {
                add(DuplicateReason::SameEmail, e.to_lowercase(), at);
            }
            if let Some(c) = fold::clean(p.side.company_name.as_deref()) {
                add(
                    DuplicateReason::SameNameAndCompany,
                    format!("{}|{}", p.name, fold::fold(&c)),
                    at,
                );
            }
        }
        let mut best: HashMap<(usize, usize), DuplicateReason> = HashMap::new();
        for ((reason, _), members) in &groups {
            if members.len() < 2 || members.len() > MAX_GROUP {
                continue;
            }
            for (i, &x) in members.iter().enumerate() {
                for &y in &members[i + 1..] {
                    if x == y {
                        continue;
                    }
                    let key = (x.min(y), x.max(y));
                    let e = best.entry(key).or_insert(*reason);
                    if *reason < *e {
                        *e = *reason;
                    }
                }
            }
        }
        let mut found: Vec<((usize, usize), DuplicateReason)> = best.into_iter().collect();
        found.sort_by_key(|&((x, y), reason)| (reason, x, y));
        Ok(DuplicateScan {
            total: found.len() as u32,
            pairs: found
                .into_iter()
                .take(limit)
                .map(|((x, y), reason)| DuplicatePair {
                    a: people[x].side.clone(),
                    b: people[y].side.clone(),
                    reason,
                })
                .collect(),
        })
    }
}
