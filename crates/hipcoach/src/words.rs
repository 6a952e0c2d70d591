//! Small helpers for text shown to people, shared by the terminal and the web pages.

/// The text with its first letter in upper case ("seated hip IR" → "Seated hip IR").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
