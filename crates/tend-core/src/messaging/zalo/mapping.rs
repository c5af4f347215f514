//! A Zalo template's parameters filled from a customer: each parameter maps to one of Tend's
//! template variables (`customer.name`) or to a fixed text. Zalo refuses a template whose
//! required parameters are empty or longer than their limit, so both block the send here, with
//! the parameter named, before anything leaves.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::messaging::zalo::approved::ZaloParam;

/// Where a parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ParamSource {
    /// One of the template variables (`customer.name`, `customer.phone`, `me.name`, `today`…).
    Field(String),
    /// The same text for every customer.
    Text(String),
}

/// A template's mapping: parameter name → its source.
pub type ParamMap = BTreeMap<String, ParamSource>;

/// What is wrong with a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ParamProblem {
    /// The parameter is not mapped to anything.
    Unmapped,
    /// Its field is empty for this customer.
    Missing,
    /// Longer than Zalo allows for it.
    TooLong,
}

/// A parameter as it will be sent, for the preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParamValue {
    pub name: String,
    pub value: Option<String>,
    #[ts(type = "number | null")]
    pub max_length: Option<i64>,
    pub required: bool,
    pub problem: Option<ParamProblem>,
}

/// The value at a dotted path of a render context (`customer.name`), as text.
fn lookup(context: &Value, path: &str) -> Option<String> {
    let mut v = context;
    for part in path.split('.') {
        v = v.get(part)?;
    }
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Fills each of `params` from `map` with the values of `context` (a template render context).
pub fn resolve(params: &[ZaloParam], map: &ParamMap, context: &Value) -> Vec<ParamValue> {
    params
        .iter()
        .map(|p| {
            let (value, mut problem) = match map.get(&p.name) {
                None => (None, Some(ParamProblem::Unmapped)),
                Some(ParamSource::Text(t)) if !t.trim().is_empty() => {
                    (Some(t.trim().to_string()), None)
                }
                Some(ParamSource::Text(_)) => (None, Some(ParamProblem::Missing)),
                Some(ParamSource::Field(f)) => match lookup(context, f) {
                    Some(v) => (Some(v), None),
                    None => (None, Some(ParamProblem::Missing)),
                },
            };
            if problem.is_some() && !p.required {
                problem = None;
            }
            if let (Some(v), Some(max)) = (&value, p.max_length) {
                if max > 0 && v.chars().count() as i64 > max {
                    problem = Some(ParamProblem::TooLong);
                }
            }
            ParamValue {
                name: p.name.clone(),
                value,
                max_length: p.max_length,
                required: p.required,
                problem,
            }
        })
        .collect()
}

/// The values to send, or the first problem as an error that names the parameter.
pub fn values(resolved: &[ParamValue], customer: &str) -> Result<BTreeMap<String, String>> {
    for p in resolved {
        let err = match p.problem {
            None => continue,
            Some(ParamProblem::Unmapped) => Error::field(
                "template",
                "send.zalo_param_unmapped",
                format!(
                    "the Zalo template's parameter “{}” is not mapped: edit the template",
                    p.name
                ),
            ),
            Some(ParamProblem::Missing) => Error::field(
                "template",
                "send.zalo_param_missing",
                format!(
                    "{customer} has no value for the Zalo template's parameter “{}”",
                    p.name
                ),
            )
            .with("name", customer),
            Some(ParamProblem::TooLong) => Error::field(
                "template",
                "send.zalo_param_too_long",
                format!(
                    "the value of “{}” is longer than Zalo allows ({} characters)",
                    p.name,
                    p.max_length.unwrap_or(0)
                ),
            )
            .with("max", p.max_length.unwrap_or(0)),
        };
        return Err(err.with("param", &p.name));
    }
    Ok(resolved
        .iter()
        .filter_map(|p| Some((p.name.clone(), p.value.clone()?)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn param(name: &str, max: i64, required: bool) -> ZaloParam {
        ZaloParam {
            name: name.into(),
            kind: "STRING".into(),
            required,
            max_length: Some(max),
            min_length: None,
        }
    }

    #[test]
    fn parameters_fill_from_fields_and_texts_and_flag_what_zalo_would_refuse() {
        let params = [
            param("customer_name", 30, true),
            param("phone_number", 15, true),
            param("order_code", 10, true),
            param("note", 20, false),
            param("shop", 30, true),
        ];
        let map: ParamMap = [
            ("customer_name", ParamSource::Field("customer.name".into())),
            ("phone_number", ParamSource::Field("customer.phone".into())),
            ("order_code", ParamSource::Text("DH-1024".into())),
            ("note", ParamSource::Field("customer.company".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let ctx = json!({ "customer": { "name": "Trần Thị Lan", "phone": "0912 345 678" } });
        let r = resolve(&params, &map, &ctx);
        assert_eq!(r[0].value.as_deref(), Some("Trần Thị Lan"));
        assert_eq!(r[1].value.as_deref(), Some("0912 345 678"));
        assert_eq!(r[2].value.as_deref(), Some("DH-1024"));
        assert_eq!(
            (r[3].value.as_deref(), r[3].problem),
            (None, None),
            "optional and empty"
        );
        assert_eq!(r[4].problem, Some(ParamProblem::Unmapped));
        let e = values(&r, "Lan").unwrap_err();
        assert_eq!(e.key(), "send.zalo_param_unmapped");

        let long = json!({ "customer": { "name": "Công ty TNHH Thương mại Dịch vụ Minh Phát Đạt", "phone": "0912" } });
        let r = resolve(&params[..3], &map, &long);
        assert_eq!(
            r[0].problem,
            Some(ParamProblem::TooLong),
            "over Zalo's 30 characters"
        );
        assert_eq!(
            values(&r, "x").unwrap_err().key(),
            "send.zalo_param_too_long"
        );

        let empty = json!({ "customer": { "name": "Lan" } });
        let r = resolve(&params[..3], &map, &empty);
        assert_eq!(r[1].problem, Some(ParamProblem::Missing));
        assert_eq!(
            values(&r, "Lan").unwrap_err().key(),
            "send.zalo_param_missing"
        );

        let ok = resolve(&params[..3], &map, &ctx);
        let sent = values(&ok, "Lan").unwrap();
        assert_eq!(sent.len(), 3);
        assert_eq!(sent["order_code"], "DH-1024");
    }
}
