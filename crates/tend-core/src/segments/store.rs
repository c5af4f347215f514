//! Saving segments, counting and listing who is in one, and acting on all of them (tag,
//! enrol).

use rusqlite::{params, params_from_iter, OptionalExtension};

use crate::base::error::{Error, Result};
use crate::base::ids::{CustomerId, ScenarioId, SegmentId};
use crate::base::page::Page;
use crate::base::time::UtcMillis;
use crate::care::model::{EnrollReport, EnrollTarget};
use crate::care::triggers;
use crate::crm::customers::write::add_tags;
use crate::crm::customers::{with_tags, CustomerSort, CustomerSummary};
use crate::crm::search_index;
use crate::db::effects::Effects;
use crate::db::store::Store;
use crate::export::model::{ExportRequest, ExportSummary};
use crate::segments::model::{
    Segment, SegmentDefinition, SegmentInput, SegmentListQuery, SegmentSummary,
};
use crate::segments::sql::{compile, Condition};

/// The most criteria a segment holds (top level and groups together): more is a mistake.
const MAX_CRITERIA: usize = 40;

fn validate(input: &SegmentInput) -> Result<String> {
    let name = crate::base::fold::clean(Some(&input.name))
        .ok_or_else(|| Error::field("name", "segment.name_missing", "give the segment a name"))?;
    let n = input.definition.criteria.len()
        + input
            .definition
            .groups
            .iter()
            .map(|g| g.criteria.len())
            .sum::<usize>();
    if n > MAX_CRITERIA {
        return Err(Error::field(
            "criteria",
            "segment.too_many_criteria",
            format!("a segment has at most {MAX_CRITERIA} criteria"),
        )
        .with("max", MAX_CRITERIA));
    }
    Ok(name)
}

impl Store {
    fn condition(&self, def: &SegmentDefinition, now: UtcMillis) -> Result<Condition> {
        compile(def, self.zone.as_ref(), now)
    }

    /// Every segment with its live count, by name.
    pub fn list_segments(&self, now: UtcMillis) -> Result<Vec<SegmentSummary>> {
        let segments: Vec<Segment> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM segments ORDER BY name COLLATE NOCASE, id",
                Segment::COLUMNS
            ))?
            .query_map([], Segment::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        segments
            .into_iter()
            .map(|segment| {
                // A segment whose criteria no longer compile (a deleted tag still matches
                // nobody, so this is rare) shows 0 rather than hiding the list.
                let count = self.count_segment(&segment.definition, now).unwrap_or(0);
                Ok(SegmentSummary { segment, count })
            })
            .collect()
    }

    /// A segment.
    pub fn get_segment(&self, id: &SegmentId) -> Result<Segment> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {} FROM segments WHERE id = ?1",
                Segment::COLUMNS
            ))?
            .query_row([id], Segment::from_row)
            .optional()?
            .ok_or(Error::NotFound("segment"))
    }

    /// Creates (`id` None) or replaces a segment. Criteria that cannot run are refused with a
    /// field error naming the criterion.
    pub fn save_segment(
        &mut self,
        id: Option<&SegmentId>,
        input: &SegmentInput,
        now: UtcMillis,
    ) -> Result<Segment> {
        let name = validate(input)?;
        self.condition(&input.definition, now)?;
        let json = input.definition.to_json()?;
        let id = match id {
            Some(id) => {
                let n = self.conn.execute(
                    "UPDATE segments SET name = ?2, definition = ?3, updated_at = ?4 WHERE id = ?1",
                    params![id, name, json, now],
                )?;
                if n == 0 {
                    return Err(Error::NotFound("segment"));
                }
                id.clone()
            }
            None => {
                let id = SegmentId::new();
                self.conn.execute(
                    "INSERT INTO segments (id, name, definition, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![id, name, json, now],
                )?;
                id
            }
        };
        self.record(Effects::DATA_CHANGED);
        self.get_segment(&id)
    }

    /// Deletes a segment; campaigns that used it keep their history and need a new one.
    pub fn delete_segment(&mut self, id: &SegmentId) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM segments WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound("segment"));
        }
        self.record(Effects::DATA_CHANGED);
        Ok(())
    }

    /// How many live customers match the criteria now.
    pub fn count_segment(&self, def: &SegmentDefinition, now: UtcMillis) -> Result<i64> {
        let cond = self.condition(def, now)?;
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM customers c WHERE {}",
                cond.sql
            ))?
            .query_row(params_from_iter(cond.params.iter()), |r| r.get(0))?)
    }

    /// The ids of the live customers matching the criteria now, by given name.
    pub(crate) fn segment_ids(
        &self,
        def: &SegmentDefinition,
        now: UtcMillis,
    ) -> Result<Vec<CustomerId>> {
        let cond = self.condition(def, now)?;
        let ids = self
            .conn
            .prepare(&format!(
                "SELECT c.id FROM customers c WHERE {} ORDER BY c.sort_name, c.id",
                cond.sql
            ))?
            .query_map(params_from_iter(cond.params.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The definition a query names: a saved segment's, or the one being edited.
    fn query_definition(&self, q: &SegmentListQuery) -> Result<SegmentDefinition> {
        match (&q.definition, &q.segment_id) {
            (Some(d), _) => Ok(d.clone()),
            (None, Some(id)) => Ok(self.get_segment(id)?.definition),
            (None, None) => Ok(SegmentDefinition::default()),
        }
    }

    /// A page of a segment's customers, ordered as the customer list is, with the total.
    pub fn segment_customers(
        &self,
        q: &SegmentListQuery,
        now: UtcMillis,
    ) -> Result<Page<CustomerSummary>> {
        let def = self.query_definition(q)?;
        let cond = self.condition(&def, now)?;
        let limit = q.limit.clamp(1, 500);
        let offset = q.offset.max(0);
        let order = match q.sort {
            CustomerSort::Name => "c.sort_name, c.id",
            CustomerSort::LastContact => "c.last_contact_date DESC, c.id DESC",
            CustomerSort::NextFollowUp => {
                "ifnull(c.next_follow_up_date, 9223372036854775807), c.id"
            }
            CustomerSort::Created => "c.created_at DESC, c.id DESC",
        };
        let total: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM customers c WHERE {}",
                cond.sql
            ))?
            .query_row(params_from_iter(cond.params.iter()), |r| r.get(0))?;
        let mut p = cond.params.clone();
        p.push(rusqlite::types::Value::Integer(limit));
        p.push(rusqlite::types::Value::Integer(offset));
        let items = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM customers c WHERE {} ORDER BY {order} LIMIT ? OFFSET ?",
                CustomerSummary::COLUMNS,
                cond.sql
            ))?
            .query_map(params_from_iter(p.iter()), CustomerSummary::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page {
            items: with_tags(&self.conn, items)?,
            total,
        })
    }

    /// Adds a tag to (or removes it from) everyone in a segment now, in one transaction.
    /// Returns how many customers changed. Adding fires the tag's care triggers like the form.
    pub fn tag_segment(
        &mut self,
        segment: &SegmentId,
        tag: &str,
        add: bool,
        now: UtcMillis,
    ) -> Result<i64> {
        let def = self.get_segment(segment)?.definition;
        let ids = self.segment_ids(&def, now)?;
        let Some(tag) = crate::base::fold::clean(Some(tag)) else {
            return Err(Error::field("tag", "segment.tag_missing", "type a tag"));
        };
        let zone = self.zone.clone();
        let tx = self.write_tx()?;
        let mut changed = 0;
        let mut enrolled = 0;
        for id in &ids {
            let has: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                     WHERE ct.customer_id = ?1 AND t.name = ?2 COLLATE NOCASE)",
                )?
                .query_row(params![id, tag], |r| r.get(0))?;
            if has == add {
                continue;
            }
            if add {
                add_tags(&tx, id, std::slice::from_ref(&tag), now)?;
                enrolled += triggers::on_customer_saved(
                    &tx,
                    id,
                    false,
                    std::slice::from_ref(&tag),
                    zone.as_ref(),
                    now,
                )?;
            } else {
                tx.prepare_cached(
                    "DELETE FROM customer_tags WHERE customer_id = ?1
                     AND tag_id IN (SELECT id FROM tags WHERE name = ?2 COLLATE NOCASE)",
                )?
                .execute(params![id, tag])?;
            }
            tx.prepare_cached("UPDATE customers SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![id, now])?;
            search_index::reindex(&tx, id)?;
            changed += 1;
        }
        tx.commit()?;
        self.record(Effects::DATA_CHANGED);
        if enrolled > 0 {
            self.record(Effects::WAKE_CARE);
        }
        Ok(changed)
    }

    /// Exports the customers a request covers; a request naming a segment covers the
    /// customers in it now (combined with its tag and search, if any).
    pub fn export_book(
        &self,
        req: &ExportRequest,
        out: &std::path::Path,
        now: UtcMillis,
    ) -> Result<ExportSummary> {
        let mut req = req.clone();
        if let Some(segment) = &req.segment_id {
            let def = self.get_segment(segment)?.definition;
            req.only = Some(self.segment_ids(&def, now)?.into_iter().collect());
        }
        self.export(&req, out, now)
    }

    /// Enrols everyone in a segment now in a scenario.
    pub fn enroll_segment(
        &mut self,
        scenario: &ScenarioId,
        segment: &SegmentId,
        now: UtcMillis,
    ) -> Result<EnrollReport> {
        let def = self.get_segment(segment)?.definition;
        let ids = self.segment_ids(&def, now)?;
        self.enroll(scenario, &EnrollTarget::Customers { ids }, now)
    }
}
