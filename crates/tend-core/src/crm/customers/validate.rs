//! Validating a customer's form input: names, phones (normalised), email, dates, Telegram
//! details, tags.

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::phone;
use crate::crm::customers::model::CustomerInput;
use crate::crm::customers::model::LifecycleStage;
use crate::crm::customers::model::Temperature;

/// Validated, normalised customer fields, ready to write.
pub(crate) struct ValidCustomer {
    pub(crate) full_name: String,
    pub(crate) phones: Vec<(String, Option<String>)>,
    pub(crate) email: Option<String>,
    pub(crate) company_name: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) birthday: Option<String>,
    pub(crate) zalo_id: Option<String>,
    pub(crate) zalo_phone: Option<String>,
    pub(crate) telegram_id: Option<String>,
    pub(crate) telegram_username: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) lifecycle_stage: LifecycleStage,
    pub(crate) temperature: Option<Temperature>,
    pub(crate) tags: Vec<String>,
    pub(crate) notes: Option<String>,
}

pub(crate) fn validate(input: &CustomerInput) -> Result<ValidCustomer> {
    let full_name = fold::clean(Some(&input.full_name)).ok_or_else(|| {
        Error::field(
            "full_name",
            "customer.name_missing",
            "enter the customer's name",
        )
    })?;
    let full_name = full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.chars().count() > 200 {
        return Err(Error::field(
            "full_name",
            "customer.name_too_long",
            "the name is longer than 200 characters",
        )
        .with("max", 200));
    }
    let mut phones: Vec<(String, Option<String>)> = Vec::new();
    for p in &input.phones {
        if p.number.trim().is_empty() {
            continue;
        }
        let number = phone::normalize(&p.number)?;
        if !phones.iter().any(|(n, _)| *n == number) {
            phones.push((number, fold::clean(p.label.as_deref())));
        }
    }
    let email = match fold::clean(input.email.as_deref()) {
        Some(e) => Some(validate_email(&e)?),
        None => None,
    };
    let birthday = match fold::clean(input.birthday.as_deref()) {
        Some(b) => {
            let d = chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").map_err(|_| {
                Error::field(
                    "birthday",
                    "customer.birthday_invalid",
                    format!("“{b}” is not a date (YYYY-MM-DD)"),
                )
                .with("value", &b)
            })?;
            Some(d.format("%Y-%m-%d").to_string())
        }
        None => None,
    };
    let zalo_phone = match fold::clean(input.zalo_phone.as_deref()) {
        Some(p) => Some(phone::normalize(&p).map_err(|e| e.on_field("zalo_phone"))?),
        None => None,
    };
    let telegram_id = match fold::clean(input.telegram_id.as_deref()) {
        Some(t) => {
            t.parse::<i64>().map_err(|_| {
                Error::field(
                    "telegram_id",
                    "customer.telegram_id_invalid",
                    format!(
                        "“{t}” is not a Telegram chat id: it is a whole number such as 123456789"
                    ),
                )
                .with("value", &t)
            })?;
            Some(t)
        }
        None => None,
    };
    let telegram_username = match fold::clean(input.telegram_username.as_deref()) {
        Some(u) => {
            let u = u.trim_start_matches('@').to_string();
            let ok = (4..=32).contains(&u.len())
                && u.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !ok {
                return Err(Error::field(
                    "telegram_username",
                    "customer.telegram_username_invalid",
                    format!("“{u}” is not a Telegram username: 4 to 32 letters, digits or _"),
                )
                .with("value", &u));
            }
            Some(u)
        }
        None => None,
    };
    let mut tags: Vec<String> = Vec::new();
    for t in &input.tags {
        if let Some(t) = fold::clean(Some(t)) {
            if !tags.iter().any(|x| x.to_lowercase() == t.to_lowercase()) {
                tags.push(t);
            }
        }
    }
    Ok(ValidCustomer {
        full_name,
        phones,
        email,
        company_name: fold::clean(input.company_name.as_deref()),
        address: fold::clean(input.address.as_deref()),
        birthday,
        zalo_id: fold::clean(input.zalo_id.as_deref()),
        zalo_phone,
        telegram_id,
        telegram_username,
        source: fold::clean(input.source.as_deref()),
        lifecycle_stage: input.lifecycle_stage.unwrap_or_default(),
        temperature: input.temperature,
        tags,
        notes: fold::clean(input.notes.as_deref()),
    })
}

pub(crate) fn validate_email(e: &str) -> Result<String> {
    let bad = || {
        Error::field(
            "email",
            "customer.email_invalid",
            format!("“{e}” is not an email address (name@example.com)"),
        )
        .with("value", e)
    };
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !e.chars().any(char::is_whitespace);
    if ok {
        Ok(e.to_string())
    } else {
        Err(bad())
    }
}

/// The sort key: folded given name, then folded full name.
pub(crate) fn sort_name(full_name: &str) -> String {
    format!(
        "{} {}",
        fold::fold(fold::given_name(full_name)),
        fold::fold(full_name)
    )
}
