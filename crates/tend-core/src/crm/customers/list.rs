//! Reading customers: one record, the paged list (by given name, filtered by tag), the tags.

use rusqlite::params;

use crate::base::error::Result;
use crate::base::ids::CustomerId;
use crate::base::page::Page;
use crate::crm::customers::model::get_customer;
use crate::crm::customers::model::with_tags;
use crate::crm::customers::model::Customer;
use crate::crm::customers::model::CustomerListQuery;
use crate::crm::customers::model::CustomerSort;
use crate::crm::customers::model::CustomerSummary;
use crate::crm::customers::model::Tag;
use crate::db::store::Store;

impl Store {
    /// A customer, deleted or not.
    pub fn get_customer(&self, id: &CustomerId) -> Result<Customer> {
        get_customer(&self.conn, id)
    }

    /// A page of customers in the requested order.
    pub fn list_customers(&self, q: &CustomerListQuery) -> Result<Page<CustomerSummary>> {
        let limit = q.limit.clamp(1, 500);
        let offset = q.offset.max(0);
        let order = match (q.sort, q.deleted) {
            (_, true) => "c.deleted_at DESC, c.id",
            (CustomerSort::Name, _) => "c.sort_name, c.id",
            (CustomerSort::LastContact, _) => "c.last_contact_date DESC, c.id DESC",
            (CustomerSort::NextFollowUp, _) => {
                "ifnull(c.next_follow_up_date, 9223372036854775807), c.id"
            }
            (CustomerSort::Created, _) => "c.created_at DESC, c.id DESC",
        };
        let live = if q.deleted {
            "c.deleted_at IS NOT NULL"
        } else {
            "c.deleted_at IS NULL"
        };
        let (from, tag_param) = match &q.tag_id {
            Some(t) => (
                "customers c JOIN customer_tags ct ON ct.customer_id = c.id AND ct.tag_id = ?1",
                Some(t.as_str()),
            ),
            None => ("customers c", None),
        };
        let tag_guard = if tag_param.is_some() {
            ""
        } else {
            "AND ?1 IS NULL"
        };
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM {from} WHERE {live} {tag_guard}"),
            params![tag_param],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {columns} FROM {from} WHERE {live} {tag_guard}
             ORDER BY {order} LIMIT ?2 OFFSET ?3",
            columns = CustomerSummary::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let items = stmt
            .query_map(params![tag_param, limit, offset], CustomerSummary::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let items = with_tags(&self.conn, items)?;
        Ok(Page { items, total })
    }

    /// Every tag, by name.
    pub fn list_tags(&self) -> Result<Vec<Tag>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM tags t ORDER BY t.name COLLATE NOCASE",
            Tag::COLUMNS
        ))?;
        let tags = stmt
            .query_map([], Tag::from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(tags)
    }
}
