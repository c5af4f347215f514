//! The variables a template names, checked against the ones Tend fills in. Strict rendering only
//! finds a misspelt variable (`{{customer.nam}}`) when a message is sent, and then blames the
//! customer for a value they cannot have; checking the names when the template is saved (and
//! in the live preview) says what is wrong while the salesperson is still writing, with the
//! closest real name.

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};

use crate::base::error::{Error, Result};

/// Helpers a template may call: Tend's own and Handlebars' built-ins.
const HELPERS: &[&str] = &[
    "default", "date", "vnd", "if", "unless", "each", "with", "lookup", "log", "eq", "ne", "gt",
    "gte", "lt", "lte", "and", "or", "not", "len",
];

/// Checks every variable `template` names against `known`.
pub(crate) fn check(field: &'static str, template: &Template, known: &[String]) -> Result<()> {
    walk(template, &mut |name| {
        if is_known(name, known) {
            return Ok(());
        }
        let err = match closest(name, known) {
            Some(suggestion) => Error::field(
                field,
                "template.unknown_variable",
                format!("the template uses “{name}”, which does not exist: did you mean “{suggestion}”?"),
            )
            .with("name", name)
            .with("suggestion", suggestion),
            None => Error::field(
                field,
                "template.unknown_variable_no_suggestion",
                format!("the template uses “{name}”, which does not exist"),
            )
            .with("name", name),
        };
        Err(err)
    })
}

fn is_known(name: &str, known: &[String]) -> bool {
    let name = name.strip_prefix("this.").unwrap_or(name);
    // `this`, `@index`, `../x`: context references, not Tend's variables.
    name == "this"
        || name.starts_with('@')
        || name.starts_with("..")
        || known.iter().any(|k| k == name)
}

fn walk(t: &Template, visit: &mut dyn FnMut(&str) -> Result<()>) -> Result<()> {
    for element in &t.elements {
        match element {
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                if h.params.is_empty() && h.hash.is_empty() {
                    // `{{customer.name}}`: the name is the variable (unless it is a helper).
                    if let Some(name) = h.name.as_name() {
                        if !HELPERS.contains(&name) {
                            visit(name)?;
                        }
                    }
                } else {
                    arguments(h, visit)?;
                }
            }
            TemplateElement::HelperBlock(h) => {
                arguments(h, visit)?;
                for part in [&h.template, &h.inverse].into_iter().flatten() {
                    walk(part, visit)?;
                }
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
                if let Some(body) = &d.template {
                    walk(body, visit)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The variables among a helper call's arguments (`{{default customer.company "quý khách"}}`).
fn arguments(h: &HelperTemplate, visit: &mut dyn FnMut(&str) -> Result<()>) -> Result<()> {
    for p in h.params.iter().chain(h.hash.values()) {
        parameter(p, visit)?;
    }
    Ok(())
}

fn parameter(p: &Parameter, visit: &mut dyn FnMut(&str) -> Result<()>) -> Result<()> {
    match p {
        Parameter::Path(_) => match p.as_name() {
            Some(name) => visit(name),
            None => Ok(()),
        },
        Parameter::Subexpression(sub) => match sub.as_element() {
            TemplateElement::Expression(h) => arguments(h, visit),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The known name closest to `name`, if it is close enough to be a slip of the keyboard.
fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
