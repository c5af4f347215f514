//! Zalo template messages (ZNS, folded into Zalo's "ZBS template message" in 2026) through the
//! business API: a template Zalo approved, sent to a phone number with its parameters; the OA's
//! templates and their parameters; the OA's daily quota. The OA's access token is the one the
//! consultation messages use, refreshed the same way (Zalo answers -124 when it is no longer
//! valid).
//!
//! Each refusal is classified as for the other channels: a phone or template problem is
//! permanent (with a hint), quota and Zalo's own limits are retried later, a token problem is
//! refreshed once and then a settings problem.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::http;
use super::zalo::{Attempt, ReadError, ZaloOa};
use super::Delivery;
use crate::messaging::outbox::ErrorHint;

/// How long to wait after Zalo says a limit of the day or of the hour was reached.
const LATER_MS: i64 = 3_600_000;

/// The OA's daily allowance of template messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Quota {
    pub daily: i64,
    pub remaining: i64,
}

impl Quota {
    /// Reads `{dailyQuota, remainingQuota}`, given as numbers or as strings of digits.
    fn from_json(v: &Value) -> Option<Quota> {
        let n = |f: &str| {
            v[f].as_i64()
                .or_else(|| v[f].as_str().and_then(|s| s.trim().parse().ok()))
        };
        Some(Quota {
            daily: n("dailyQuota")?,
            remaining: n("remainingQuota")?,
        })
    }
}

/// One of the OA's templates as the list gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    /// `ENABLE` (approved, can be sent), `PENDING_REVIEW`, `REJECT`, `DISABLE`, `DELETE`.
    pub status: String,
    pub quality: Option<String>,
}

/// A template's parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateParam {
    pub name: String,
    pub required: bool,
    /// Zalo's parameter type (`STRING`, `NUMBER`, `DATE`, …) as given.
    pub kind: String,
    pub max_length: Option<i64>,
    pub min_length: Option<i64>,
}

/// A template in full: its parameters and what a message costs.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateInfo {
    pub id: String,
    pub name: String,
    pub status: String,
    pub quality: Option<String>,
    pub tag: Option<String>,
    pub price_vnd: Option<i64>,
    pub preview_url: Option<String>,
    pub params: Vec<TemplateParam>,
}

/// What a template send came to, with the quota Zalo reported along with it.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateSend {
    pub delivery: Delivery,
    pub quota: Option<Quota>,
}

/// A string or a number of a JSON answer, as text.
fn text(v: &Value) -> Option<String> {
    v.as_str()
        .map(String::from)
        .or_else(|| v.as_i64().map(|n| n.to_string()))
}

impl ZaloOa {
    /// Sends the approved template `template_id` to `phone` (E.164 or Zalo's 84… form) with
    /// `data`; `tracking_id` (the outbox row's id) lets the send be matched to its row.
    pub fn send_template(
        &self,
        phone: &str,
        template_id: &str,
        data: &BTreeMap<String, String>,
        tracking_id: &str,
    ) -> TemplateSend {
        let body = json!({
            "phone": phone.trim_start_matches('+'),
            "template_id": template_id,
            "template_data": data,
            "tracking_id": tracking_id,
        });
        let url = format!("{}/message/template", self.business);
        self.with_token(
            |d| TemplateSend {
                delivery: d,
                quota: None,
            },
            |token| {
                let reply =
                    match http::post_json(&self.agent, &url, &[("access_token", token)], &body) {
                        Ok(r) => r,
                        Err(e) => {
                            return Attempt::Done(TemplateSend {
                                delivery: Delivery::no_answer(e),
                                quota: None,
                            })
                        }
                    };
                if reply.status >= 500 {
                    return Attempt::Done(TemplateSend {
                        delivery: Delivery::retry(format!(
                            "Zalo had a server error ({})",
                            reply.status
                        )),
                        quota: None,
                    });
                }
                let v: Value = match serde_json::from_str(&reply.body) {
                    Ok(v) => v,
                    Err(_) => {
                        // Accepted or not, the answer is garbled: the message may be out.
                        return Attempt::Done(TemplateSend {
                            delivery: Delivery::unknown(format!(
                                "outcome unknown: Zalo answered {} with something that is not JSON. Check with the customer, then retry or dismiss",
                                reply.status
                            )),
                            quota: None,
                        });
                    }
                };
                match classify(&v) {
                    Some(delivery) => Attempt::Done(TemplateSend {
                        delivery,
                        quota: Quota::from_json(&v["data"]["quota"]),
                    }),
                    None => Attempt::TokenExpired,
                }
            },
        )
    }

    /// The OA's templates, every status, 100 a page.
    pub fn templates(&self) -> Result<Vec<TemplateSummary>, ReadError> {
        let mut out = Vec::new();
        loop {
            let offset = out.len().to_string();
            let v = self.business_get("/template/all", &[("offset", &offset), ("limit", "100")])?;
            let page: Vec<TemplateSummary> = v["data"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| {
                    Some(TemplateSummary {
                        id: text(&t["templateId"])?,
                        name: t["templateName"].as_str().unwrap_or("").to_string(),
                        status: t["status"].as_str().unwrap_or("").to_string(),
                        quality: t["templateQuality"].as_str().map(String::from),
                    })
                })
                .collect();
            let total = v["metadata"]["total"].as_u64().unwrap_or(0) as usize;
            let empty = page.is_empty();
            out.extend(page);
            if empty || out.len() >= total {
                return Ok(out);
            }
        }
    }

    /// A template's parameters and price.
    pub fn template_info(&self, template_id: &str) -> Result<TemplateInfo, ReadError> {
        let v = self.business_get("/template/info/v2", &[("template_id", template_id)])?;
        let d = &v["data"];
        let params = d["listParams"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                Some(TemplateParam {
                    name: p["name"].as_str()?.to_string(),
                    required: p["require"].as_bool().unwrap_or(true),
                    kind: p["type"].as_str().unwrap_or("STRING").to_string(),
                    max_length: p["maxLength"].as_i64(),
                    min_length: p["minLength"].as_i64(),
                })
            })
            .collect();
        Ok(TemplateInfo {
            id: text(&d["templateId"]).unwrap_or_else(|| template_id.to_string()),
            name: d["templateName"].as_str().unwrap_or("").to_string(),
            status: d["status"].as_str().unwrap_or("").to_string(),
            quality: d["templateQuality"].as_str().map(String::from),
            tag: d["templateTag"].as_str().map(String::from),
            price_vnd: text(&d["price"])
                .and_then(|p| p.trim().parse::<f64>().ok())
                .map(|p| p.round() as i64),
            preview_url: d["previewUrl"].as_str().map(String::from),
            params,
        })
    }

    /// The OA's template-message quota for today.
    pub fn quota(&self) -> Result<Quota, ReadError> {
        let v = self.business_get("/message/quota", &[])?;
        Quota::from_json(&v["data"])
            .ok_or_else(|| ReadError::Refused("Zalo's quota answer has no numbers".into()))
    }

    /// A GET on the business API: the answer when Zalo says `error: 0`.
    fn business_get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, ReadError> {
        self.get_answer(&format!("{}{path}", self.business), query)
    }
}

/// What a template send's answer means; `None` when the access token must be refreshed.
pub(crate) fn classify(v: &Value) -> Option<Delivery> {
    let Some(code) = v["error"].as_i64() else {
        // An answer without Zalo's error code says nothing about the message: it may be out.
        return Some(Delivery::unknown(
            "outcome unknown: Zalo answered without saying whether the template message went. Check with the customer, then retry or dismiss",
        ));
    };
    let msg = v["message"].as_str().unwrap_or("no message");
    let later = |why: String| Delivery::Retry {
        reason: why,
        after_ms: Some(LATER_MS),
        offline: false,
    };
    Some(match code {
        0 => Delivery::Sent {
            provider_id: text(&v["data"]["msg_id"]),
        },
        -124 | -216 | -220 => return None,
        -108 => Delivery::failed(
            format!("Zalo says the phone number is not valid ({msg}): correct it on the customer"),
            Some(ErrorHint::AddRecipient),
        ),
        -118 | -119 => Delivery::failed(
            format!("This phone number has no Zalo account that can receive messages ({msg})"),
            Some(ErrorHint::AddRecipient),
        ),
        -141..=-139 => Delivery::failed(
            format!("The customer does not accept Zalo template messages ({msg}): send it from your own Zalo"),
            Some(ErrorHint::UsePersonalZalo),
        ),
        -109 | -117 | -131 => Delivery::failed(
            format!("Zalo will not send this template ({msg}): check its Zalo template in Templates"),
            Some(ErrorHint::CheckSettings),
        ),
        -111 | -112 | -1121 | -1122 | -1124 => Delivery::failed(
            format!("Zalo refused the template's values ({msg}): check the template's parameters"),
            Some(ErrorHint::CheckSettings),
        ),
        -105 | -120 | -135 | -138 => Delivery::failed(
            format!("The OA may not send template messages ({msg}): check the OA's ZBS permissions"),
            Some(ErrorHint::CheckSettings),
        ),
        -115 => later(format!("The OA's template-message balance is used up ({msg}): top it up; Tend tries again later")),
        -144 | -147 => later(format!("Zalo's daily limit for template messages is reached ({msg}): Tend tries again later")),
        -133 => later(format!("Zalo does not send this template between 22:00 and 06:00 ({msg}): Tend tries again later")),
        -32 => Delivery::retry(format!("Zalo is rate limiting: {msg}")),
        -100 => Delivery::retry(format!("Zalo had an unknown error: {msg}")),
        _ => Delivery::failed(format!("Zalo refused the template message: {msg} (error {code})"), None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(code: i64) -> Delivery {
        classify(&json!({ "error": code, "message": "m" })).expect("not a token error")
    }

    #[test]
    fn every_documented_answer_has_its_class() {
        assert_eq!(
            classify(
                &json!({"error": 0, "data": {"msg_id": "a1", "quota": {"dailyQuota": "500", "remainingQuota": "499"}}})
            ),
            Some(Delivery::Sent {
                provider_id: Some("a1".into())
            })
        );
        assert_eq!(
            Quota::from_json(&json!({"dailyQuota": "500", "remainingQuota": 499})),
            Some(Quota {
                daily: 500,
                remaining: 499
            })
        );
        assert!(
            classify(&json!({"error": -124})).is_none(),
            "a token error is refreshed"
        );
        let hint = |d: Delivery| match d {
            Delivery::Failed { hint, .. } => hint,
            other => panic!("permanent: {other:?}"),
        };
        assert_eq!(hint(answer(-108)), Some(ErrorHint::AddRecipient));
        assert_eq!(hint(answer(-118)), Some(ErrorHint::AddRecipient));
        assert_eq!(hint(answer(-139)), Some(ErrorHint::UsePersonalZalo));
        assert_eq!(hint(answer(-141)), Some(ErrorHint::UsePersonalZalo));
        assert_eq!(hint(answer(-109)), Some(ErrorHint::CheckSettings));
        assert_eq!(hint(answer(-131)), Some(ErrorHint::CheckSettings));
        assert_eq!(hint(answer(-111)), Some(ErrorHint::CheckSettings));
        assert_eq!(hint(answer(-1121)), Some(ErrorHint::CheckSettings));
        assert_eq!(hint(answer(-120)), Some(ErrorHint::CheckSettings));
        assert_eq!(hint(answer(-9999)), None);
        for code in [-115, -144, -147, -133] {
            assert!(
                matches!(
                    answer(code),
                    Delivery::Retry {
                        after_ms: Some(LATER_MS),
                        offline: false,
                        ..
                    }
                ),
                "{code} is retried later"
            );
        }
        for code in [-32, -100] {
            assert!(
                matches!(answer(code), Delivery::Retry { after_ms: None, .. }),
                "{code}"
            );
        }
    }
}
