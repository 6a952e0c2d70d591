//! Measurements as a FHIR R4 `Bundle` (type `collection`) of `Observation` resources.
//!
//! Health-record systems import FHIR. Each measurement becomes one Observation: status `final`,
//! category `exam`, the code as text ("Hip internal rotation range of motion") — no LOINC or
//! SNOMED code, because we could not confirm one that means exactly this test, and a wrong code
//! is worse than none — the hip as body site, the method, the value in whole degrees (UCUM
//! `deg`) and the ± in a note, since a reading is never more precise than its method.

use hipcoach_core::measure::Method;
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use serde_json::{Value, json};

/// The code text every Observation carries.
pub const CODE_TEXT: &str = "Hip internal rotation range of motion";

/// The Bundle, ready to serialise.
pub fn bundle(measurements: &[Measurement], patient_name: &str) -> Value {
    let entries: Vec<Value> = measurements
        .iter()
        .enumerate()
        .map(|(index, m)| json!({ "resource": observation(index + 1, m, patient_name) }))
        .collect();
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    })
}

fn observation(number: usize, m: &Measurement, patient_name: &str) -> Value {
    let side = match m.side {
        Side::Left => "Left hip",
        Side::Right => "Right hip",
    };
    let method = match m.method {
        Method::Goniometer => "Goniometer",
        Method::Inclinometer => "Inclinometer",
        Method::Phone => "Smartphone clinometer on the shin",
        Method::CameraEstimate => "Camera estimate (not validated)",
    };
    let rater = match m.rater {
        hipcoach_core::measure::Rater::Same => "same rater as before",
        hipcoach_core::measure::Rater::Different => "different rater from before",
    };
    let by = m.measured_by.as_deref().map_or_else(String::new, |who| format!(", measured by {who}"));
    json!({
        "resourceType": "Observation",
        "id": format!("hip-ir-{number}"),
        "status": "final",
        "category": [{
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "exam",
                "display": "Exam"
            }]
        }],
        "code": { "text": CODE_TEXT },
        "subject": { "display": patient_name },
        "effectiveDateTime": m.day.format("%Y-%m-%d").to_string(),
        "bodySite": { "text": side },
        "method": { "text": format!("{method}, {} test, median of three trials", m.position) },
        "valueQuantity": {
            "value": m.degrees.round() as i64,
            "unit": "deg",
            "system": "http://unitsofmeasure.org",
            "code": "deg"
        },
        "note": [{
            "text": format!(
                "±{}° ({}); {} test; {rater}{by}. Seated and prone results are different tests and are not comparable.",
                m.uncertainty.round() as i64,
                m.method,
                m.position
            )
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use hipcoach_core::measure::{Rater, TestPosition};

    fn measurement(side: Side, method: Method, degrees: f64) -> Measurement {
        Measurement {
            day: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
            side,
            position: TestPosition::Seated,
            method,
            degrees,
            uncertainty: method.uncertainty().get(),
            rater: Rater::Same,
            measured_by: Some("physio".into()),
            hard_end_feel: false,
            recorded_at_ms: 0,
        }
    }

    /// The parts of the R4 structure a receiving system checks: required elements, their JSON
    /// types, and the value sets of the coded ones.
    pub(crate) fn assert_valid_r4_bundle(bundle: &Value) {
        assert_eq!(bundle["resourceType"], "Bundle");
        assert_eq!(bundle["type"], "collection");
        let entries = bundle["entry"].as_array().expect("entry is an array");
        for entry in entries {
            assert!(entry.get("fullUrl").is_none_or(Value::is_string));
            let o = &entry["resource"];
            assert_eq!(o["resourceType"], "Observation");
            let id = o["id"].as_str().expect("id is a string");
            assert!(id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'));
            let status = o["status"].as_str().expect("status (1..1) is a code");
            assert!(
                [
                    "registered",
                    "preliminary",
                    "final",
                    "amended",
                    "corrected",
                    "cancelled",
                    "entered-in-error",
                    "unknown"
                ]
                .contains(&status)
            );
            assert!(o["code"].is_object(), "code (1..1) is a CodeableConcept");
            assert!(o["code"]["text"].is_string() || o["code"]["coding"].is_array());
            for coding in o["category"].as_array().expect("category is 0..* so an array") {
                for c in coding["coding"].as_array().expect("coding is an array") {
                    assert!(c["system"].as_str().is_some_and(|s| s.starts_with("http")));
                    assert!(c["code"].is_string());
                }
            }
            let when = o["effectiveDateTime"].as_str().expect("effectiveDateTime is a string");
            assert!(NaiveDate::parse_from_str(when, "%Y-%m-%d").is_ok(), "{when} is a FHIR date");
            assert!(o["bodySite"]["text"].is_string());
            assert!(o["method"]["text"].is_string());
            let q = &o["valueQuantity"];
            assert!(q["value"].is_number());
            assert_eq!((q["system"].as_str(), q["code"].as_str()), (Some("http://unitsofmeasure.org"), Some("deg")));
            let notes = o["note"].as_array().expect("note is an array of Annotation");
            assert!(notes.iter().all(|n| n["text"].is_string()), "Annotation.text is required");
        }
    }

    #[test]
    fn measurements_become_a_valid_r4_collection_of_observations() {
        let bundle = bundle(
            &[
                measurement(Side::Left, Method::Goniometer, 34.6),
                measurement(Side::Right, Method::CameraEstimate, 41.0),
            ],
            "me",
        );
        assert_valid_r4_bundle(&bundle);
        let first = &bundle["entry"][0]["resource"];
        assert_eq!(first["valueQuantity"]["value"], 35, "whole degrees only");
        assert_eq!(first["bodySite"]["text"], "Left hip");
        assert_eq!(first["code"]["text"], CODE_TEXT);
        assert!(first["note"][0]["text"].as_str().unwrap().starts_with("±6°"));
        assert!(bundle["entry"][1]["resource"]["method"]["text"].as_str().unwrap().contains("estimate"));
    }
}
