//! What every HTML form shares: the submitted fields as typed (so a page shown again with an
//! error keeps them) and the message beside a field. The CSRF field is `layout::csrf_field`.

use maud::{Markup, html};
use std::collections::BTreeMap;

/// The submitted fields in order; a name may repeat (checkboxes).
pub type Fields = Vec<(String, String)>;

/// Messages per field name.
pub type FieldErrors = BTreeMap<String, String>;

/// The first value submitted for `name`.
pub fn value<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Whether `value` was chosen for `name` (a radio button or a ticked box).
pub fn chosen(fields: &Fields, name: &str, value: &str) -> bool {
    fields.iter().any(|(k, v)| k == name && v == value)
}

/// Longest typed value a form shows again in its field: an absurd one (a 309-digit number) is
/// left out rather than echoed back.
const LONGEST_SHOWN_AGAIN: usize = 12;

/// What was typed for `name`, to show again in its field, unless it is absurdly long.
pub fn shown_again<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    value(fields, name).filter(|typed| typed.len() <= LONGEST_SHOWN_AGAIN)
}

/// The message for `name`, when there is one, with the id `aria-describedby` points at.
pub fn field_error(errors: &FieldErrors, name: &str) -> Markup {
    html! { @if let Some(e) = errors.get(name) { p.error id={ "error-" (name) } role="alert" { (e) } } }
}

/// The `aria-describedby` of a field with an error.
pub fn described_by(errors: &FieldErrors, name: &str) -> Option<String> {
    errors.contains_key(name).then(|| format!("error-{name}"))
}
