//! The one spelling of a named value (a goal, a side, a method) outside the program: the
//! kebab-case name serde gives it, used alike in files, form fields, database columns and URLs.

use serde::Serialize;

/// The serde name of a unit-like value (`Goal::Athlete` → `"athlete"`); empty for anything that
/// does not serialise to a plain string.
pub fn spelling<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::spelling;
    use crate::measure::Method;
    use crate::units::Side;

    #[test]
    fn named_values_are_spelled_as_serde_names_them() {
        assert_eq!(spelling(&Side::Left), "left");
        assert_eq!(spelling(&Method::CameraEstimate), "camera-estimate");
        assert_eq!(spelling(&3), "");
    }
}
