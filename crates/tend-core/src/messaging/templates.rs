//! Message templates: stored records, and strict Handlebars rendering for a real customer.
//!
//! Rendering is strict: a variable this customer has no value for (and no `default` given) is
//! an error naming the variable, so a message never goes out as "Chào anh ," with a hole in it.
//! Missing values are left out of the render context rather than set to null, which is what
//! makes Handlebars' strict mode see them.
//!
//! Rows are read by name: `Template::COLUMNS` is the select list and `Template::from_row` reads
//! exactly those names.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, TemplateError,
};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ts_rs::TS;

use crate::base::error::{Error, Result};
use crate::base::fold;
use crate::base::ids::{CustomerId, TemplateId};
use crate::base::phone;
use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::crm::customers::{get_customer, Customer};
use crate::db::store::Store;
use crate::messaging::zalo::approved;
use crate::messaging::zalo::mapping::{self, ParamMap, ParamSource};
use crate::messaging::{template_partials, template_variables};

/// Which channel a template is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateChannel {
    Telegram,
    Zalo,
    Email,
    #[default]
    Any,
    /// A template approved by Zalo, sent to a phone number: its words are Zalo's, Tend keeps
    /// which value fills each of its parameters.
    ZaloTemplate,
}

/// What a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TemplateCategory {
    Greeting,
    FollowUp,
    Quotation,
    ThankYou,
    Birthday,
    Reminder,
    #[default]
    Other,
}

text_enum!(TemplateChannel { Telegram => "telegram", Zalo => "zalo", Email => "email", Any => "any", ZaloTemplate => "zalo_template" });
text_enum!(TemplateCategory { Greeting => "greeting", FollowUp => "follow_up", Quotation => "quotation", ThankYou => "thank_you", Birthday => "birthday", Reminder => "reminder", Other => "other" });

/// What the template editor sends.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TemplateInput {
    pub name: String,
    pub description: Option<String>,
    pub channel: TemplateChannel,
    pub category: TemplateCategory,
    /// The email subject (a template too); ignored for chat channels.
    pub subject: Option<String>,
    pub body: String,
    /// The Zalo template this one is sent as (required for the Zalo template channel; on a Zalo
    /// or any-channel text, what the automatic Zalo route sends outside Zalo's windows).
    pub zalo_template_id: Option<String>,
    /// Which value fills each of the Zalo template's parameters.
    pub zalo_params: Option<ParamMap>,
}

/// A stored template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    pub description: Option<String>,
    pub channel: TemplateChannel,
    pub category: TemplateCategory,
    pub subject: Option<String>,
    pub body: String,
    #[ts(type = "number")]
    pub usage_count: i64,
    #[ts(type = "number | null")]
    pub last_used_at: Option<UtcMillis>,
    #[ts(type = "number")]
    pub created_at: UtcMillis,
    #[ts(type = "number")]
    pub updated_at: UtcMillis,
    pub zalo_template_id: Option<String>,
    pub zalo_params: Option<ParamMap>,
}

impl Template {
    /// Whether it can be sent as a Zalo template message.
    pub fn has_zalo_mapping(&self) -> bool {
        self.zalo_template_id.is_some()
    }
}

/// A template filter for the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TemplateFilter {
    /// Templates usable on this channel (`any` templates included).
    pub channel: Option<TemplateChannel>,
    pub category: Option<TemplateCategory>,
}

/// A variable the editor lists, with an example value.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateVariable {
    pub name: String,
    pub example: String,
}

/// A template rendered for one customer. When variables are missing, `missing` names them and
/// the text shows `[customer.email]` where each one would be: the preview stays readable, and
/// the send is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Rendered {
    pub subject: Option<String>,
    pub text: String,
    /// The HTML body of an email (values escaped); `None` for chat channels.
    pub html: Option<String>,
    pub missing: Vec<String>,
}

/// The variables every template can use, in the order the editor lists them.
pub fn variables() -> Vec<TemplateVariable> {
    [
        ("customer.name", "Nguyễn Văn Đức"),
        ("customer.given_name", "Đức"),
        ("customer.phone", "0912 345 678"),
        ("customer.email", "duc@example.vn"),
        ("customer.company", "Cửa hàng Minh Phát"),
        ("customer.address", "12 Lê Lợi, Quận 1"),
        ("customer.birthday", "17/05/1990"),
        ("me.name", "Trần Thị Lan"),
        ("me.phone", "0903 123 456"),
        ("today", "21/11/2026"),
    ]
    .into_iter()
    .map(|(n, e)| TemplateVariable {
        name: n.into(),
        example: e.into(),
    })
    .collect()
}

/// Who sends: the salesperson's own details, from Settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Me {
    pub name: Option<String>,
    /// As a Vietnamese user reads it: `0903 123 456`.
    pub phone: Option<String>,
}

impl Store {
    /// The salesperson's own details for `{{me.*}}`.
    pub fn me(&self) -> Result<Me> {
        Ok(Me {
            name: self.setting("my_name")?,
            phone: self.setting("my_phone")?.map(|p| phone::display(&p)),
        })
    }
}

/// The values a template is rendered with.
#[derive(Debug, Clone, Default)]
pub struct RenderInput {
    /// The render context: `customer`, `me`, `today`. Missing values are absent keys.
    pub context: Value,
}

impl RenderInput {
    /// The context for `customer`, sent by `me`, on the local date `today` (dd/MM/yyyy).
    pub fn for_customer(customer: &Customer, me: &Me, today: &str) -> Self {
        let mut c = Map::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
                c.insert(k.to_string(), Value::String(v));
            }
        };
        put("name", Some(customer.full_name.clone()));
        put("given_name", Some(customer.given_name.clone()));
        put(
            "phone",
            customer
                .phones
                .iter()
                .find(|p| p.is_primary)
                .map(|p| phone::display(&p.number)),
        );
        put("email", customer.email.clone());
        put("company", customer.company_name.clone());
        put("address", customer.address.clone());
        put(
            "birthday",
            customer.birthday.as_deref().map(iso_to_vietnamese_date),
        );
        let mut sender = Map::new();
        for (k, v) in [("name", &me.name), ("phone", &me.phone)] {
            if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
                sender.insert(k.into(), Value::String(v.to_string()));
            }
        }
        RenderInput {
            context: json!({ "customer": c, "me": sender, "today": today }),
        }
    }
}

fn iso_to_vietnamese_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// Checks a template's syntax; errors name the line and column.
pub fn check_syntax(field: &'static str, source: &str) -> Result<()> {
    let mut hb = engine();
    register(&mut hb, field, source)
}

/// Registers `source` as the template "t", after checking its syntax and its partials.
fn register(hb: &mut Handlebars<'static>, field: &'static str, source: &str) -> Result<()> {
    hb.register_template_string(TEMPLATE_NAME, source)
        .map_err(|e| syntax_error(field, &e))?;
    let compiled = hb
        .get_template(TEMPLATE_NAME)
        .expect("registered just above");
    template_partials::check(field, TEMPLATE_NAME, compiled)?;
    let known: Vec<String> = variables().into_iter().map(|v| v.name).collect();
    template_variables::check(field, compiled, &known)
}

/// The name each template is registered under for its render.
const TEMPLATE_NAME: &str = "t";

fn syntax_error(field: &'static str, e: &TemplateError) -> Error {
    let detail = e.reason().to_string();
    match e.pos() {
        Some((l, c)) => Error::field(
            field,
            "template.syntax_error_at",
            format!("the template has a syntax error at line {l}, column {c}: {detail}"),
        )
        .with("line", l)
        .with("column", c),
        None => Error::field(
            field,
            "template.syntax_error",
            format!("the template has a syntax error: {detail}"),
        ),
    }
    .with("detail", detail)
}

/// A Handlebars registry with Tend's helpers and strict variables.
fn engine() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_helper("default", Box::new(default_helper));
    hb.register_helper("date", Box::new(date_helper));
    hb.register_helper("vnd", Box::new(vnd_helper));
    hb
}

/// `{{default customer.company "quý khách"}}`: the value, or the fallback when it is missing
/// or blank.
fn default_helper(
    h: &Helper<'_>,
    registry: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = h.param(0).map(|p| p.value()).filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        _ => true,
    });
    let chosen = match value {
        Some(v) => v.clone(),
        None => h
            .param(1)
            .map(|p| p.value().clone())
            .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("default", 1))?,
    };
    out.write(&escaped(registry, &value_text(&chosen)))?;
    Ok(())
}

/// `{{date x}}`: a date as dd/MM/yyyy, from `YYYY-MM-DD` text or UTC milliseconds.
fn date_helper(
    h: &Helper<'_>,
    registry: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = h
        .param(0)
        .map(|p| p.value().clone())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("date", 0))?;
    let text = match &v {
        Value::String(s) => {
            if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                d.format("%d/%m/%Y").to_string()
            } else {
                s.clone()
            }
        }
        Value::Number(n) => n
            .as_i64()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| {
                t.with_timezone(&chrono::Local)
                    .format("%d/%m/%Y")
                    .to_string()
            })
            .unwrap_or_else(|| n.to_string()),
        other => value_text(other),
    };
    out.write(&escaped(registry, &text))?;
    Ok(())
}

/// `{{vnd 1500000}}` → `1.500.000 ₫`.
fn vnd_helper(
    h: &Helper<'_>,
    registry: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let v = h
        .param(0)
        .map(|p| p.value().clone())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex("vnd", 0))?;
    let amount = match &v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.replace(['.', ',', ' '], "").parse::<f64>().ok(),
        _ => None,
    }
    .ok_or_else(|| RenderErrorReason::InvalidParamType("a number for vnd"))?;
    out.write(&escaped(registry, &format_vnd(amount)))?;
    Ok(())
}

/// Vietnamese đồng: whole amounts, dots between thousands, the ₫ sign after.
pub fn format_vnd(amount: f64) -> String {
    let n = amount.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    format!("{}{out} ₫", if n < 0 { "-" } else { "" })
}

/// A helper's output as the template would write a value: HTML-escaped when rendering the HTML
/// part of an email (helpers bypass Handlebars' own escaping), as is for text.
fn escaped(registry: &Handlebars<'_>, text: &str) -> String {
    registry.get_escape_fn()(text)
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Renders `source` strictly. Missing variables are collected (up to 20) and shown as
/// `[name]` in the text, so one call reports all of them.
/// A template compiled for one field, plain or HTML-escaped.
fn compile_one(source: &str, html: bool, field: &'static str) -> Result<Handlebars<'static>> {
    let mut hb = engine();
    if !html {
        hb.register_escape_fn(handlebars::no_escape);
    }
    register(&mut hb, field, source)?;
    Ok(hb)
}

/// Renders a compiled field; the variables missing for this customer are shown as
/// `[name]` and listed.
fn render_compiled(
    hb: &Handlebars<'static>,
    input: &RenderInput,
    field: &'static str,
) -> Result<(String, Vec<String>)> {
    let mut context: Option<Value> = None;
    let mut missing: Vec<String> = Vec::new();
    for _ in 0..20 {
        match hb.render(TEMPLATE_NAME, context.as_ref().unwrap_or(&input.context)) {
            Ok(text) => return Ok((text, missing)),
            Err(e) => match missing_variable(&e) {
                Some(name) if !missing.contains(&name) => {
                    let c = context.get_or_insert_with(|| input.context.clone());
                    set_path(c, &name, Value::String(format!("[{name}]")));
                    missing.push(name);
                }
                _ => return Err(render_error(field, &e)),
            },
        }
    }
    Err(Error::field(
        field,
        "template.too_many_missing",
        "the template uses too many missing variables",
    ))
}

fn missing_variable(e: &RenderError) -> Option<String> {
    match e.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => {
            Some(path.trim_start_matches("this.").to_string())
        }
        _ => None,
    }
}

fn render_error(field: &'static str, e: &RenderError) -> Error {
    let detail = e.reason().to_string();
    match (e.line_no, e.column_no) {
        (Some(l), Some(c)) => Error::field(
            field,
            "template.render_error_at",
            format!("the template cannot be rendered (line {l}, column {c}): {detail}"),
        )
        .with("line", l)
        .with("column", c),
        _ => Error::field(
            field,
            "template.render_error",
            format!("the template cannot be rendered: {detail}"),
        ),
    }
    .with("detail", detail)
}

fn set_path(root: &mut Value, path: &str, v: Value) {
    let mut cur = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        if !cur.is_object() {
            *cur = Value::Object(Map::new());
        }
        let obj = cur.as_object_mut().expect("made an object above");
        if i == parts.len() - 1 {
            obj.insert((*part).to_string(), v);
            return;
        }
        cur = obj
            .entry((*part).to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Renders a template's subject and body for a send on `email` or a chat channel.
pub fn render(
    subject: Option<&str>,
    body: &str,
    input: &RenderInput,
    email: bool,
) -> Result<Rendered> {
    Compiled::new(subject, body, email)?.render(input)
}

/// A template compiled once and rendered for many customers (a campaign's thousands of
/// recipients): compiling and checking a template costs far more than rendering it.
pub struct Compiled {
    body: Handlebars<'static>,
    subject: Option<Handlebars<'static>>,
    /// Email only: the body with values HTML-escaped.
    body_html: Option<Handlebars<'static>>,
}

impl Compiled {
    /// Compiles a template for a send on `email` or a chat channel.
    pub fn new(subject: Option<&str>, body: &str, email: bool) -> Result<Compiled> {
        Ok(Compiled {
            body: compile_one(body, false, "body")?,
            subject: match subject.filter(|s| email && !s.trim().is_empty()) {
                Some(s) => Some(compile_one(s, false, "subject")?),
                None => None,
            },
            body_html: if email {
                Some(compile_one(body, true, "body")?)
            } else {
                None
            },
        })
    }

    /// The message for one customer.
    pub fn render(&self, input: &RenderInput) -> Result<Rendered> {
        let (text, mut missing) = render_compiled(&self.body, input, "body")?;
        let subject = match &self.subject {
            Some(hb) => {
                let (s, m) = render_compiled(hb, input, "subject")?;
                for name in m {
                    if !missing.contains(&name) {
                        missing.push(name);
                    }
                }
                Some(s)
            }
            None => None,
        };
        let html = match &self.body_html {
            // Values are HTML-escaped by Handlebars; the salesperson's own line breaks are
            // kept by pre-wrap rather than by rewriting their text.
            Some(hb) => {
                let (h, _) = render_compiled(hb, input, "body")?;
                Some(format!(
                    "<!DOCTYPE html><html><body><div style=\"white-space: pre-wrap; font-family: sans-serif\">{h}</div></body></html>"
                ))
            }
            None => None,
        };
        Ok(Rendered {
            subject,
            text,
            html,
            missing,
        })
    }
}

/// Validated template fields, ready to write.
struct ValidTemplate {
    name: String,
    description: Option<String>,
    subject: Option<String>,
    body: String,
    zalo_template_id: Option<String>,
    zalo_params: Option<String>,
}

fn validate(conn: &Connection, input: &TemplateInput) -> Result<ValidTemplate> {
    let name = fold::clean(Some(&input.name))
        .ok_or_else(|| Error::field("name", "template.name_missing", "give the template a name"))?;
    let body = input.body.trim().to_string();
    let (zalo_template_id, zalo_params) = validate_zalo(conn, input)?;
    if body.is_empty() && input.channel != TemplateChannel::ZaloTemplate {
        return Err(Error::field(
            "body",
            "template.body_empty",
            "the message is empty",
        ));
    }
    check_syntax("body", &body)?;
    let subject = fold::clean(input.subject.as_deref());
    if let Some(s) = &subject {
        check_syntax("subject", s)?;
    }
    Ok(ValidTemplate {
        name,
        description: fold::clean(input.description.as_deref()),
        subject,
        body,
        zalo_template_id,
        zalo_params,
    })
}

/// Checks a template's Zalo template mapping: the Zalo template is one of the OA's approved
/// ones, every parameter it requires is mapped, fields are template variables and fixed texts
/// fit Zalo's limits. Returns the id and the mapping as stored.
fn validate_zalo(
    conn: &Connection,
    input: &TemplateInput,
) -> Result<(Option<String>, Option<String>)> {
    let id = input
        .zalo_template_id
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty());
    let Some(id) = id else {
        if input.channel == TemplateChannel::ZaloTemplate {
            return Err(Error::field(
                "zalo_template_id",
                "template.zalo_template_missing",
                "choose the Zalo template this one sends",
            ));
        }
        return Ok((None, None));
    };
    if !matches!(
        input.channel,
        TemplateChannel::ZaloTemplate | TemplateChannel::Zalo | TemplateChannel::Any
    ) {
        return Err(Error::field(
            "zalo_template_id",
            "template.zalo_template_wrong_channel",
            "only a Zalo template can be sent as a Zalo template message",
        ));
    }
    let zt = approved::get(conn, id).map_err(|_| {
        Error::field(
            "zalo_template_id",
            "template.zalo_template_unknown",
            "this Zalo template is not among the OA's: refresh the list of Zalo templates",
        )
    })?;
    if !zt.is_approved() {
        return Err(Error::field(
            "zalo_template_id",
            "template.zalo_template_not_approved",
            format!("Zalo has not approved “{}” ({})", zt.name, zt.status),
        )
        .with("template", &zt.name)
        .with("status", &zt.status));
    }
    let map = input.zalo_params.clone().unwrap_or_default();
    let known: Vec<String> = variables().into_iter().map(|v| v.name).collect();
    for p in &zt.params {
        let unmapped = || {
            Error::field(
                "zalo_params",
                "template.zalo_param_unmapped",
                format!("choose what fills the parameter “{}”", p.name),
            )
            .with("param", &p.name)
        };
        match map.get(&p.name) {
            None if p.required => return Err(unmapped()),
            Some(ParamSource::Text(t)) if t.trim().is_empty() && p.required => {
                return Err(unmapped())
            }
            Some(ParamSource::Field(f)) if !known.contains(f) => {
                return Err(Error::field(
                    "zalo_params",
                    "template.zalo_param_unknown_field",
                    format!("“{f}” is not a value Tend knows"),
                )
                .with("param", &p.name)
                .with("field", f))
            }
            Some(ParamSource::Text(t)) => {
                if let Some(max) = p.max_length.filter(|m| *m > 0) {
                    if t.trim().chars().count() as i64 > max {
                        return Err(Error::field(
                            "zalo_params",
                            "template.zalo_param_too_long",
                            format!("“{}” takes at most {max} characters", p.name),
                        )
                        .with("param", &p.name)
                        .with("max", max));
                    }
                }
            }
            _ => {}
        }
    }
    let kept: ParamMap = map
        .into_iter()
        .filter(|(k, _)| zt.params.iter().any(|p| &p.name == k))
        .collect();
    let json = serde_json::to_string(&kept).map_err(|e| Error::Internal(e.to_string()))?;
    Ok((Some(id.to_string()), Some(json)))
}

impl Store {
    /// Creates a template after checking its syntax.
    pub fn create_template(&mut self, input: &TemplateInput, now: UtcMillis) -> Result<Template> {
        let valid = validate(&self.conn, input)?;
        let id = TemplateId::new();
        self.conn.execute(
            "INSERT INTO message_templates (id, name, description, channel, category, subject, body,
                 created_at, updated_at, zalo_template_id, zalo_params)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
            params![
                id,
                valid.name,
                valid.description,
                input.channel,
                input.category,
                valid.subject,
                valid.body,
                now,
                valid.zalo_template_id,
                valid.zalo_params
            ],
        )?;
        self.get_template(&id)
    }

    /// Replaces a template's fields.
    pub fn update_template(
        &mut self,
        id: &TemplateId,
        input: &TemplateInput,
        now: UtcMillis,
    ) -> Result<Template> {
        let valid = validate(&self.conn, input)?;
        let n = self.conn.execute(
            "UPDATE message_templates SET name = ?2, description = ?3, channel = ?4, category = ?5,
                 subject = ?6, body = ?7, updated_at = ?8, zalo_template_id = ?9, zalo_params = ?10
             WHERE id = ?1",
            params![
                id,
                valid.name,
                valid.description,
                input.channel,
                input.category,
                valid.subject,
                valid.body,
                now,
                valid.zalo_template_id,
                valid.zalo_params
            ],
        )?;
        if n == 0 {
            return Err(Error::NotFound("template"));
        }
        self.get_template(id)
    }

    /// Copies a template under a new name ("… (copy)"), with its usage reset.
    pub fn duplicate_template(
        &mut self,
        id: &TemplateId,
        copy_suffix: &str,
        now: UtcMillis,
    ) -> Result<Template> {
        let t = self.get_template(id)?;
        let input = TemplateInput {
            name: format!("{} {copy_suffix}", t.name),
            description: t.description,
            channel: t.channel,
            category: t.category,
            subject: t.subject,
            body: t.body,
            zalo_template_id: t.zalo_template_id,
            zalo_params: t.zalo_params,
        };
        self.create_template(&input, now)
    }

    /// Deletes a template; messages already sent keep their text.
    pub fn delete_template(&mut self, id: &TemplateId) -> Result<()> {
        let n = self
            .conn
            .execute("DELETE FROM message_templates WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound("template"));
        }
        Ok(())
    }

    /// A template.
    pub fn get_template(&self, id: &TemplateId) -> Result<Template> {
        get(&self.conn, id)
    }

    /// Templates, most used first, filtered by channel (including `any`) and category.
    pub fn list_templates(&self, f: &TemplateFilter) -> Result<Vec<Template>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM message_templates
             WHERE (?1 IS NULL OR channel = ?1 OR channel = 'any') AND (?2 IS NULL OR category = ?2)
             ORDER BY usage_count DESC, last_used_at DESC, name COLLATE NOCASE LIMIT 1000",
            Template::COLUMNS
        ))?;
        let rows = stmt
            .query_map(params![f.channel, f.category], Template::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Renders a stored template for a customer (the live preview, and the text of a send). A
    /// Zalo template's words are Zalo's: its text is what the outbox and the timeline show, the
    /// template's name and each parameter's value (an empty one shown as such; the send itself
    /// is blocked on it, with the parameter named).
    pub fn render_template(
        &self,
        template: &TemplateId,
        customer: &CustomerId,
        email: bool,
        today: &str,
    ) -> Result<Rendered> {
        let t = self.get_template(template)?;
        let c = get_customer(&self.conn, customer)?;
        let input = RenderInput::for_customer(&c, &self.me()?, today);
        if t.channel == TemplateChannel::ZaloTemplate {
            if let Some(zt) = t
                .zalo_template_id
                .as_deref()
                .and_then(|id| approved::get(&self.conn, id).ok())
            {
                let values = mapping::resolve(
                    &zt.params,
                    t.zalo_params.as_ref().unwrap_or(&ParamMap::new()),
                    &input.context,
                );
                return Ok(Rendered {
                    subject: None,
                    text: zalo_summary(
                        &zt.name,
                        values.iter().map(|v| (v.name.as_str(), v.value.as_deref())),
                    ),
                    html: None,
                    missing: Vec::new(),
                });
            }
        }
        render(t.subject.as_deref(), &t.body, &input, email)
    }

    /// Renders unsaved template text for a customer (the editor's live preview).
    pub fn render_draft(
        &self,
        subject: Option<&str>,
        body: &str,
        customer: &CustomerId,
        email: bool,
        today: &str,
    ) -> Result<Rendered> {
        let c = get_customer(&self.conn, customer)?;
        let input = RenderInput::for_customer(&c, &self.me()?, today);
        render(subject, body, &input, email)
    }
}

/// What the outbox and the timeline show for a Zalo template message: its name and each
/// parameter's value.
pub(crate) fn zalo_summary<'a>(
    name: &str,
    values: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> String {
    let values: Vec<String> = values
        .map(|(k, v)| format!("{k}: {}", v.unwrap_or("—")))
        .collect();
    // "ZNS" is what Vietnamese users call these; the rest is the template's own words.
    format!("ZNS “{name}”: {}", values.join(" · "))
}

/// Counts a use of a template (inside the caller's transaction).
pub(crate) fn count_use(conn: &Connection, id: &TemplateId, now: UtcMillis) -> Result<()> {
    conn.prepare_cached(
        "UPDATE message_templates SET usage_count = usage_count + 1, last_used_at = ?2 WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

impl Template {
    /// The select list of `message_templates` that `from_row` reads.
    const COLUMNS: &str = "id, name, description, channel, category, subject, body, usage_count, \
        last_used_at, created_at, updated_at, zalo_template_id, zalo_params";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Template> {
        Ok(Template {
            id: r.get("id")?,
            name: r.get("name")?,
            description: r.get("description")?,
            channel: r.get("channel")?,
            category: r.get("category")?,
            subject: r.get("subject")?,
            body: r.get("body")?,
            usage_count: r.get("usage_count")?,
            last_used_at: r.get("last_used_at")?,
            created_at: r.get("created_at")?,
            updated_at: r.get("updated_at")?,
            zalo_template_id: r.get("zalo_template_id")?,
            zalo_params: r
                .get::<_, Option<String>>("zalo_params")?
                .and_then(|j| serde_json::from_str(&j).ok()),
        })
    }
}

pub(crate) fn get(conn: &Connection, id: &TemplateId) -> Result<Template> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM message_templates WHERE id = ?1",
        Template::COLUMNS
    ))?
    .query_row([id], Template::from_row)
    .optional()?
    .ok_or(Error::NotFound("template"))
}
