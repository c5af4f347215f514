//! What Tend asks Zalo's business API about the OA: its templates (with the parameters and
//! price of each approved one), stored for the template editor, and its daily quota of
//! template messages, shown in Settings and before a bulk send.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::time::UtcMillis;
use crate::db::store::Store;
use crate::messaging::channels::zalo::{ReadError, ZaloOa};
use crate::messaging::channels::zalo_template::TemplateInfo;
use crate::messaging::outbox::DEFAULT_ZALO_TEMPLATE_PRICE_VND;
use crate::messaging::zalo::approved::{ZaloParam, ZaloTemplate, APPROVED};

/// The OA's quota of template messages today, and what one costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZaloQuota {
    #[ts(type = "number")]
    pub daily: i64,
    #[ts(type = "number")]
    pub remaining: i64,
    /// The price of one template message, VNĐ: the one set in Settings, else Zalo's published
    /// price.
    #[ts(type = "number")]
    pub price_vnd: i64,
}

fn template_from_info(i: TemplateInfo, now: UtcMillis) -> ZaloTemplate {
    ZaloTemplate {
        template_id: i.id,
        name: i.name,
        status: i.status,
        quality: i.quality,
        tag: i.tag,
        price_vnd: i.price_vnd,
        params: i
            .params
            .into_iter()
            .map(|p| ZaloParam {
                name: p.name,
                kind: p.kind,
                required: p.required,
                max_length: p.max_length,
                min_length: p.min_length,
            })
            .collect(),
        preview_url: i.preview_url,
        fetched_at: now,
    }
}

/// A read that did not work, as the error the UI words.
fn read_failed(what: &'static str, e: ReadError) -> Error {
    match e {
        ReadError::NoAnswer(why) => Error::failed(
            "zalo.unreachable",
            format!("Zalo could not be reached ({what}): {why}"),
        )
        .with("detail", why),
        ReadError::RateLimited => Error::failed(
            "zalo.rate_limited",
            format!("Zalo asks to wait a minute ({what})"),
        ),
        ReadError::Refused(why) => {
            Error::failed("zalo.refused", format!("Zalo refused ({what}): {why}"))
                .with("detail", why)
        }
    }
}

/// Fetches the OA's templates from Zalo: the parameters and price of each approved one. Blocks
/// on the network (the app runs it off the window's thread, then stores the list).
pub fn fetch_zalo_templates(oa: &ZaloOa, now: UtcMillis) -> Result<Vec<ZaloTemplate>> {
    let mut fetched = Vec::new();
    for t in oa.templates().map_err(|e| read_failed("templates", e))? {
        if t.status == APPROVED {
            let info = oa
                .template_info(&t.id)
                .map_err(|e| read_failed("templates", e))?;
            fetched.push(template_from_info(info, now));
        } else {
            fetched.push(ZaloTemplate {
                template_id: t.id,
                name: t.name,
                status: t.status,
                quality: t.quality,
                tag: None,
                price_vnd: None,
                params: Vec::new(),
                preview_url: None,
                fetched_at: now,
            });
        }
    }
    Ok(fetched)
}

/// The OA's quota of template messages today, with `price_vnd` the price of one. Blocks on the
/// network.
pub fn fetch_zalo_quota(oa: &ZaloOa, price_vnd: i64) -> Result<ZaloQuota> {
    let q = oa.quota().map_err(|e| read_failed("quota", e))?;
    Ok(ZaloQuota {
        daily: q.daily,
        remaining: q.remaining,
        price_vnd,
    })
}

impl Store {
    /// Fetches the OA's templates and replaces the stored list (both at once: for tests and
    /// the command line; the app fetches off the window's thread).
    pub fn refresh_zalo_templates(
        &mut self,
        oa: &ZaloOa,
        now: UtcMillis,
    ) -> Result<Vec<ZaloTemplate>> {
        let fetched = fetch_zalo_templates(oa, now)?;
        self.replace_zalo_templates(&fetched, now)?;
        self.zalo_templates()
    }

    /// The price of one template message, VNĐ: the one set in Settings, else Zalo's published
    /// price.
    pub fn zalo_template_price(&self) -> Result<i64> {
        Ok(self
            .setting("zalo_template_price_vnd")?
            .and_then(|p| p.parse().ok())
            .unwrap_or(DEFAULT_ZALO_TEMPLATE_PRICE_VND))
    }
}
