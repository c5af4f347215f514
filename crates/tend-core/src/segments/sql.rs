//! Criteria as one SQL condition over `customers c`, with its parameters. Every criterion is
//! checked here (a missing or malformed value is a field error naming the criterion), so a
//! segment that saves is a segment that runs.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use rusqlite::types::Value;

use crate::base::calendar::Zone;
use crate::base::error::{Error, Result};
use crate::base::time::{UtcMillis, DAY_MS};
use crate::crm::customers::{LifecycleStage, Temperature};
use crate::db::store::words;
use crate::segments::model::{Criterion, CriterionOp, MatchMode, SegmentDefinition, SegmentField};

/// A compiled condition: `sql` uses `?` placeholders bound in order from `params`.
#[derive(Debug, Default)]
pub(crate) struct Condition {
    pub(crate) sql: String,
    pub(crate) params: Vec<Value>,
}

/// Province names and what addresses call them, folded. A name not listed here is matched as
/// written (folded), which covers every other province.
const PROVINCE_ALIASES: &[(&str, &[&str])] = &[
    (
        "ho chi minh",
        &[
            "ho chi minh",
            "hcm",
            "tphcm",
            "tp hcm",
            "sai gon",
            "saigon",
            "hcmc",
        ],
    ),
    ("ha noi", &["ha noi", "hanoi", "hn"]),
    ("da nang", &["da nang", "danang"]),
    ("hai phong", &["hai phong", "haiphong"]),
    ("can tho", &["can tho", "cantho"]),
    ("ba ria vung tau", &["ba ria vung tau", "vung tau", "brvt"]),
    // Not "hue" alone: Nguyễn Huệ is a street in most cities.
    ("hue", &["thua thien hue", "thanh pho hue", "tp hue"]),
];

/// The whole condition of a definition: live customers that match it.
pub(crate) fn compile(
    def: &SegmentDefinition,
    zone: &dyn Zone,
    now: UtcMillis,
) -> Result<Condition> {
    let mut terms: Vec<Condition> = Vec::new();
    for (i, c) in def.criteria.iter().enumerate() {
        terms.push(criterion(c, zone, now).map_err(|e| e.with("criterion", i + 1))?);
    }
    for g in &def.groups {
        let mut inner = Vec::new();
        for (i, c) in g.criteria.iter().enumerate() {
            inner.push(criterion(c, zone, now).map_err(|e| e.with("criterion", i + 1))?);
        }
        if !inner.is_empty() {
            terms.push(combine(g.match_, inner));
        }
    }
    let mut out = Condition {
        sql: "c.deleted_at IS NULL".into(),
        params: Vec::new(),
    };
    if !terms.is_empty() {
        let body = combine(def.match_, terms);
        out.sql = format!("c.deleted_at IS NULL AND ({})", body.sql);
        out.params = body.params;
    }
    Ok(out)
}

fn combine(m: MatchMode, terms: Vec<Condition>) -> Condition {
    let joiner = match m {
        MatchMode::All => " AND ",
        MatchMode::Any => " OR ",
    };
    let mut sql = Vec::with_capacity(terms.len());
    let mut params = Vec::new();
    for t in terms {
        sql.push(format!("({})", t.sql));
        params.extend(t.params);
    }
    Condition {
        sql: sql.join(joiner),
        params,
    }
}

fn bad(field: SegmentField, key: &'static str, message: &str) -> Error {
    Error::field("criteria", key, message.to_string()).with("field", field.as_str())
}

fn text(v: &str) -> Value {
    Value::Text(v.to_string())
}

/// `?, ?, ?` for n values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn days_value(c: &Criterion) -> Result<i64> {
    let v = c.value.as_deref().unwrap_or("").trim();
    match v.parse::<i64>() {
        Ok(n) if (0..=3660).contains(&n) => Ok(n),
        _ => Err(bad(
            c.field,
            "segment.days_invalid",
            "give a number of days from 0 to 3660",
        )),
    }
}

fn date_value(c: &Criterion, v: Option<&str>) -> Result<NaiveDate> {
    v.and_then(|v| NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok())
        .ok_or_else(|| bad(c.field, "segment.date_invalid", "give a date"))
}

fn local_midnight(zone: &dyn Zone, d: NaiveDate) -> UtcMillis {
    zone.to_utc(d.and_time(NaiveTime::MIN))
}

/// A date range on an instant column: before the start of `value`, after the end of it, or
/// from the start of `value` to the end of `to`.
fn date_range(c: &Criterion, column: &str, zone: &dyn Zone) -> Result<Condition> {
    let from = date_value(c, c.value.as_deref())?;
    let next = |d: NaiveDate| local_midnight(zone, d.checked_add_days(Days::new(1)).unwrap_or(d));
    Ok(match c.op {
        CriterionOp::Before => Condition {
            sql: format!("{column} < ?"),
            params: vec![Value::Integer(local_midnight(zone, from))],
        },
        CriterionOp::After => Condition {
            sql: format!("{column} >= ?"),
            params: vec![Value::Integer(next(from))],
        },
        CriterionOp::Between => {
            let to = date_value(c, c.to.as_deref())?;
            Condition {
                sql: format!("{column} >= ? AND {column} < ?"),
                params: vec![
                    Value::Integer(local_midnight(zone, from)),
                    Value::Integer(next(to)),
                ],
            }
        }
        _ => {
            return Err(bad(
                c.field,
                "segment.op_invalid",
                "choose before, after or between",
            ))
        }
    })
}

/// `MM-DD` of each day from today to N days ahead; 29 February is counted on 28 February
/// in a year without it, so those customers are not left out three years in four.
fn birthday_days(today: NaiveDate, n: i64) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..=n.min(366) {
        let Some(d) = today.checked_add_days(Days::new(i as u64)) else {
            break;
        };
        out.push(format!("{:02}-{:02}", d.month(), d.day()));
        let leap = NaiveDate::from_ymd_opt(d.year(), 2, 29).is_some();
        if d.month() == 2 && d.day() == 28 && !leap {
            out.push("02-29".into());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_or_not(c: &Criterion, column: &str, values: Vec<Value>) -> Result<Condition> {
    if values.is_empty() {
        return Err(bad(c.field, "segment.value_missing", "choose a value"));
    }
    let n = values.len();
    Ok(match c.op {
        CriterionOp::Is | CriterionOp::Has => Condition {
            sql: format!("{column} IN ({})", marks(n)),
            params: values,
        },
        CriterionOp::IsNot | CriterionOp::HasNot => Condition {
            sql: format!("({column} IS NULL OR {column} NOT IN ({}))", marks(n)),
            params: values,
        },
        _ => return Err(bad(c.field, "segment.op_invalid", "choose is or is not")),
    })
}

/// Folded words of a phrase, as `tend_words` writes them, for a LIKE inside it.
fn word_pattern(v: &str) -> Option<String> {
    let w = words(v);
    (!w.trim().is_empty()).then(|| format!("%{w}%"))
}

fn criterion(c: &Criterion, zone: &dyn Zone, now: UtcMillis) -> Result<Condition> {
    let values = c.all_values();
    let today = zone.to_local(now).date();
    Ok(match c.field {
        SegmentField::Tag => {
            if values.is_empty() {
                return Err(bad(c.field, "segment.value_missing", "choose a tag"));
            }
            let n = values.len();
            let params: Vec<Value> = values.iter().map(|v| text(v)).collect();
            match c.op {
                CriterionOp::Has | CriterionOp::Is => Condition {
                    sql: format!(
                        "EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id
                                 AND ct.tag_id IN ({}))",
                        marks(n)
                    ),
                    params,
                },
                CriterionOp::HasAll => {
                    let mut p = params;
                    p.push(Value::Integer(n as i64));
                    Condition {
                        sql: format!(
                            "(SELECT count(*) FROM customer_tags ct WHERE ct.customer_id = c.id
                              AND ct.tag_id IN ({})) = ?",
                            marks(n)
                        ),
                        params: p,
                    }
                }
                CriterionOp::HasNot | CriterionOp::IsNot => Condition {
                    sql: format!(
                        "NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id
                                     AND ct.tag_id IN ({}))",
                        marks(n)
                    ),
                    params,
                },
                _ => {
                    return Err(bad(
                        c.field,
                        "segment.op_invalid",
                        "choose has any, has all or has none",
                    ))
                }
            }
        }
        SegmentField::Lifecycle => {
            let mut p = Vec::new();
            for v in &values {
                LifecycleStage::parse(v)
                    .ok_or_else(|| bad(c.field, "segment.value_invalid", "unknown stage"))?;
                p.push(text(v));
            }
            is_or_not(c, "c.lifecycle_stage", p)?
        }
        SegmentField::Temperature => {
            let mut p = Vec::new();
            for v in &values {
                Temperature::parse(v)
                    .ok_or_else(|| bad(c.field, "segment.value_invalid", "unknown temperature"))?;
                p.push(text(v));
            }
            is_or_not(c, "c.temperature", p)?
        }
        SegmentField::Source | SegmentField::Company => {
            let column = if c.field == SegmentField::Source {
                "c.source"
            } else {
                "c.company_name"
            };
            match c.op {
                CriterionOp::Contains => {
                    let Some(p) = values.first().and_then(|v| word_pattern(v)) else {
                        return Err(bad(c.field, "segment.value_missing", "type a value"));
                    };
                    Condition {
                        sql: format!("tend_words({column}) LIKE ?"),
                        params: vec![Value::Text(p)],
                    }
                }
                _ => {
                    let p: Vec<Value> = values.iter().map(|v| Value::Text(words(v))).collect();
                    is_or_not(c, &format!("tend_words({column})"), p)?
                }
            }
        }
        SegmentField::Province | SegmentField::Address => {
            let Some(v) = values.first() else {
                return Err(bad(c.field, "segment.value_missing", "type a place"));
            };
            let key = words(v);
            let key = key.trim();
            let key = key
                .strip_prefix("thanh pho ")
                .or_else(|| key.strip_prefix("tinh "))
                .or_else(|| key.strip_prefix("tp "))
                .unwrap_or(key);
            let names: Vec<String> = match c.field {
                SegmentField::Province => PROVINCE_ALIASES
                    .iter()
                    .find(|(name, aliases)| *name == key || aliases.contains(&key))
                    .map(|(_, aliases)| aliases.iter().map(|a| a.to_string()).collect())
                    .unwrap_or_else(|| vec![key.to_string()]),
                _ => vec![key.to_string()],
            };
            let sql = vec!["tend_words(c.address) LIKE ?"; names.len()].join(" OR ");
            let params = names
                .iter()
                .map(|n| Value::Text(format!("% {n} %")))
                .collect();
            let cond = Condition { sql, params };
            match c.op {
                CriterionOp::HasNot | CriterionOp::IsNot => Condition {
                    sql: format!("(c.address IS NULL OR NOT ({}))", cond.sql),
                    params: cond.params,
                },
                _ => Condition {
                    sql: format!("({})", cond.sql),
                    params: cond.params,
                },
            }
        }
        SegmentField::Created => date_range(c, "c.created_at", zone)?,
        SegmentField::LastContact => {
            // "Last contact before" a date includes the never contacted, as "no contact in N
            // days" does.
            let range = date_range(c, "c.last_contact_date", zone)?;
            if c.op == CriterionOp::Before {
                Condition {
                    sql: format!("(c.last_contact_date IS NULL OR {})", range.sql),
                    params: range.params,
                }
            } else {
                range
            }
        }
        SegmentField::NoContactDays => {
            let cutoff = now - days_value(c)? * DAY_MS;
            // Never contacted is no contact: "everyone I have not called for a month" includes
            // the ones never called.
            Condition {
                sql: "(c.last_contact_date IS NULL OR c.last_contact_date < ?)".into(),
                params: vec![Value::Integer(cutoff)],
            }
        }
        SegmentField::FollowUpDue => {
            let n = days_value(c)?;
            let end = today
                .checked_add_days(Days::new(n as u64 + 1))
                .unwrap_or(today);
            Condition {
                sql: "c.next_follow_up_date < ?".into(),
                params: vec![Value::Integer(local_midnight(zone, end))],
            }
        }
        SegmentField::BirthdayWithinDays => {
            let days = birthday_days(today, days_value(c)?);
            Condition {
                sql: format!(
                    "length(c.birthday) = 10 AND substr(c.birthday, 6, 5) IN ({})",
                    marks(days.len())
                ),
                params: days.into_iter().map(Value::Text).collect(),
            }
        }
        SegmentField::HasChannel => {
            let sql = match values.first().map(String::as_str) {
                Some("telegram") => "c.telegram_id IS NOT NULL",
                Some("zalo_id") => "c.zalo_id IS NOT NULL",
                Some("zalo_phone") => "coalesce(c.zalo_phone, c.phone_number) IS NOT NULL",
                Some("email") => "c.email IS NOT NULL",
                _ => return Err(bad(c.field, "segment.value_invalid", "choose a channel")),
            };
            match c.op {
                CriterionOp::HasNot | CriterionOp::IsNot => Condition {
                    sql: format!("NOT ({sql})"),
                    params: vec![],
                },
                _ => Condition {
                    sql: sql.into(),
                    params: vec![],
                },
            }
        }
        SegmentField::Scenario => {
            let Some(v) = values.first() else {
                return Err(bad(c.field, "segment.value_missing", "choose a scenario"));
            };
            let exists = "EXISTS (SELECT 1 FROM enrollments e WHERE e.customer_id = c.id
                          AND e.scenario_id = ? AND e.status IN ('active', 'paused'))";
            negate_if(c.op, exists, vec![text(v)])
        }
        SegmentField::Campaign => {
            let Some(v) = values.first() else {
                return Err(bad(c.field, "segment.value_missing", "choose a campaign"));
            };
            let exists = "EXISTS (SELECT 1 FROM campaign_recipients r
                          JOIN campaign_runs u ON u.id = r.run_id
                          JOIN outbox o ON o.id = r.outbox_id
                          WHERE r.customer_id = c.id AND u.campaign_id = ? AND o.status = 'sent')";
            negate_if(c.op, exists, vec![text(v)])
        }
        SegmentField::Consent => {
            let channel = match values.first().map(String::as_str) {
                Some(ch @ ("telegram" | "zalo" | "email")) => ch.to_string(),
                _ => return Err(bad(c.field, "segment.value_invalid", "choose a channel")),
            };
            let latest = "(SELECT k.state FROM customer_consents k
                           WHERE k.customer_id = c.id AND k.channel = ?
                           ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1)";
            let sql = match c.op {
                CriterionOp::Given | CriterionOp::Has | CriterionOp::Is => {
                    format!("{latest} = 'given'")
                }
                CriterionOp::Withdrawn => format!("{latest} = 'withdrawn'"),
                CriterionOp::NotRecorded | CriterionOp::HasNot | CriterionOp::IsNot => {
                    format!("{latest} IS NULL")
                }
                _ => return Err(bad(c.field, "segment.op_invalid", "choose a consent state")),
            };
            Condition {
                sql,
                params: vec![Value::Text(channel)],
            }
        }
        SegmentField::DoNotContact => match c.op {
            CriterionOp::HasNot | CriterionOp::IsNot => Condition {
                sql: "c.do_not_contact = 0".into(),
                params: vec![],
            },
            _ => Condition {
                sql: "c.do_not_contact = 1".into(),
                params: vec![],
            },
        },
    })
}

fn negate_if(op: CriterionOp, exists: &str, params: Vec<Value>) -> Condition {
    match op {
        CriterionOp::HasNot | CriterionOp::IsNot => Condition {
            sql: format!("NOT {exists}"),
            params,
        },
        _ => Condition {
            sql: exists.to_string(),
            params,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthdays_wrap_the_year_and_keep_the_29th_of_february() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        assert_eq!(birthday_days(d, 3), ["01-01", "01-02", "12-30", "12-31"]);
        let feb = NaiveDate::from_ymd_opt(2027, 2, 27).unwrap();
        assert_eq!(birthday_days(feb, 2), ["02-27", "02-28", "02-29", "03-01"]);
        let leap = NaiveDate::from_ymd_opt(2028, 2, 28).unwrap();
        assert_eq!(birthday_days(leap, 1), ["02-28", "02-29"]);
    }
}
