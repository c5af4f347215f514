//! Partials inside a template: `{{#*inline "name"}}…{{/inline}}` defines one, `{{> name}}`
//! includes it. Handlebars renders an include of an include without limit, so partials that
//! include each other (a → b → a, or a template including itself) would recurse until the stack
//! overflows, in the preview or in the scheduler. They are refused when the template is saved
//! and checked again before any render, as are includes of partials that do not exist and
//! includes whose name is computed (which cannot be checked).

use std::collections::{HashMap, HashSet};

use handlebars::template::{Parameter, Template, TemplateElement};

use crate::base::error::{Error, Result};

/// The partial Handlebars passes the block of a `{{#> partial}}…{{/partial}}` call as.
const PARTIAL_BLOCK: &str = "@partial-block";

/// Checks the partials of `template`, registered under `root`: every include names a partial
/// defined in it, and no partial includes itself, directly or through others.
pub(crate) fn check(field: &'static str, root: &str, template: &Template) -> Result<()> {
    let mut graph = Graph {
        field,
        ..Graph::default()
    };
    graph.defined.insert(root.to_string());
    graph.walk(template, root)?;
    for includes in graph.edges.values() {
        for name in includes {
            if name != PARTIAL_BLOCK && !graph.defined.contains(name) {
                return Err(Error::field(
                    field,
                    "template.partial_unknown",
                    format!("the template includes “{name}”, which it does not define"),
                )
                .with("name", name));
            }
        }
    }
    let mut path = Vec::new();
    let mut done = HashSet::new();
    if let Some(cycle) = graph.cycle_from(root, &mut path, &mut done) {
        let text = cycle.join(" → ");
        return Err(Error::field(
            field,
            "template.partial_cycle",
            format!("parts of the template include each other without end ({text})"),
        )
        .with("cycle", text));
    }
    Ok(())
}

#[derive(Default)]
struct Graph {
    /// The form field the template came from, for errors.
    field: &'static str,
    defined: HashSet<String>,
    /// Which partials each partial (or the template itself) includes.
    edges: HashMap<String, Vec<String>>,
}

impl Graph {
    fn walk(&mut self, t: &Template, inside: &str) -> Result<()> {
        for element in &t.elements {
            match element {
                TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                    let Some(name) = name_of(&d.name) else {
                        return Err(Error::field(
                            self.field,
                            "template.partial_dynamic",
                            "a template can only include parts by their name",
                        ));
                    };
                    self.edges.entry(inside.to_string()).or_default().push(name);
                    if let Some(block) = &d.template {
                        self.walk(block, inside)?;
                    }
                }
                TemplateElement::DecoratorBlock(d) if d.name.as_name() == Some("inline") => {
                    if let (Some(name), Some(body)) =
                        (d.params.first().and_then(name_of), &d.template)
                    {
                        self.defined.insert(name.clone());
                        self.walk(body, &name)?;
                    }
                }
                TemplateElement::HelperBlock(h) => {
                    for part in [&h.template, &h.inverse].into_iter().flatten() {
                        self.walk(part, inside)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A chain of includes from `node` back to a partial already on `path`, if there is one.
    fn cycle_from(
        &self,
        node: &str,
        path: &mut Vec<String>,
        done: &mut HashSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in self.edges.get(node).into_iter().flatten() {
            if let Some(cycle) = self.cycle_from(next, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
}

/// A partial's name as written: `{{> name}}`, `{{> "name"}}`.
fn name_of(p: &Parameter) -> Option<String> {
    match p {
        Parameter::Literal(serde_json::Value::String(s)) => Some(s.clone()),
        Parameter::Literal(_) | Parameter::Subexpression(_) => None,
        other => other.as_name().map(String::from),
    }
}
