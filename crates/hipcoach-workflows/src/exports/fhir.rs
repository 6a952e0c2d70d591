//! Measurements and pain ratings as a FHIR R4 `Bundle` (type `collection`): one `Patient`, and
//! `Observation`s that refer to it.
//!
//! Health-record systems import FHIR. Every entry has a `fullUrl` (`urn:uuid:`, derived from the
//! account and the record, so exporting again gives the same identities). Each measurement is an
//! Observation: status `final`, category `exam`, the code as text ("Hip internal rotation range
//! of motion") — no LOINC or SNOMED code, because we could not confirm one that means exactly
//! this test, and a wrong code is worse than none — the hip as body site in SNOMED CT (24136001
//! |Hip joint structure| refined by 272741003 |Laterality| = 7771000 |Left| or 24028007 |Right|,
//! the post-coordinated form FHIR allows for laterality), the test position in the core
//! `observation-bodyPosition` extension (SNOMED CT 33586001 |Sitting position| or 1240000 |Prone
//! body position|), the method as text, the value in whole degrees (UCUM `deg`), and the ± as a
//! component of its own (and in the note), since a reading is never more precise than its method.
//! Each pain check-in, and the pain check after each exercise of a session, is an Observation
//! coded LOINC 72514-3, "Pain severity - 0-10 verbal numeric rating [Score] - Reported", category
//! `survey`, with the moment in the note; a red sign after an exercise has no score, so it is
//! coded by text with the sign as its value.

use chrono::NaiveDate;
use hipcoach_core::measure::{Method, TestPosition};
use hipcoach_core::session::PainAnswer;
use hipcoach_core::units::Side;
use hipcoach_store::{Measurement, Moment, PainCheckin};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The code text every Observation carries.
pub const CODE_TEXT: &str = "Hip internal rotation range of motion";

/// LOINC's 0–10 pain score: "Pain severity - 0-10 verbal numeric rating [Score] - Reported".
pub const PAIN_LOINC: &str = "72514-3";

/// The Bundle, ready to serialise.
pub fn bundle(
    measurements: &[Measurement],
    checkins: &[PainCheckin],
    exercise_pain: &[ExercisePain<'_>],
    patient_name: &str,
) -> Value {
    let patient_url = urn(&["patient", patient_name]);
    let subject = json!({ "reference": patient_url, "display": patient_name });
    let mut entries = vec![json!({
        "fullUrl": patient_url,
        "resource": { "resourceType": "Patient", "id": "patient", "name": [{ "text": patient_name }] }
    })];
    for (index, m) in measurements.iter().enumerate() {
        let number = (index + 1).to_string();
        entries.push(json!({
            "fullUrl": urn(&["measurement", patient_name, &number, &m.recorded_at_ms.to_string()]),
            "resource": observation(index + 1, m, &subject),
        }));
    }
    for (index, checkin) in checkins.iter().enumerate() {
        let number = (index + 1).to_string();
        entries.push(json!({
            "fullUrl": urn(&["pain", patient_name, &number, &checkin.recorded_at_ms.to_string()]),
            "resource": pain_observation(index + 1, checkin, &subject),
        }));
    }
    for (index, pain) in exercise_pain.iter().enumerate() {
        entries.push(json!({
            // The session's key and the exercise's place in it: an identity that an earlier
            // session imported later cannot shift.
            "fullUrl": urn(&["exercise-pain", patient_name, pain.session_key, &pain.position.to_string()]),
            "resource": exercise_pain_observation(index + 1, pain, &subject),
        }));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    })
}

/// A name-based `urn:uuid:` (the SHA-256 of the parts, shaped as an RFC 9562 version 8 UUID), so
/// the same record gets the same identity in every export.
fn urn(parts: &[&str]) -> String {
    let mut digest = Sha256::new().chain_update(b"hipcoach-fhir");
    for part in parts {
        digest = digest.chain_update(b"\0").chain_update(part.as_bytes());
    }
    let mut bytes: [u8; 16] = digest.finalize()[..16].try_into().unwrap_or([0; 16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// LOINC 72514-3, the 0–10 pain score every pain Observation is coded with.
fn pain_score_code() -> Value {
    json!({
        "coding": [{
            "system": "http://loinc.org",
            "code": PAIN_LOINC,
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
        }],
        "text": "Hip pain, 0 (none) to 10 (worst)"
    })
}

/// The category of every pain Observation: something the person reported.
fn survey_category() -> Value {
    json!([{
        "coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey"
        }]
    }])
}

/// The pain check after one exercise of a session.
#[derive(Debug, Clone, Copy)]
pub struct ExercisePain<'a> {
    /// The day of the session.
    pub day: NaiveDate,
    /// The session's own key, so the record keeps its identity when exported again.
    pub session_key: &'a str,
    /// The exercise's place in the session, from 0.
    pub position: usize,
    /// The exercise's name.
    pub exercise: &'a str,
    /// The answer.
    pub answer: PainAnswer,
}

/// A scored answer is a LOINC 72514-3 Observation like a check-in; a red sign (sharp, pinching,
/// catching or locking, tingling) has no score, so it is an Observation coded by text whose value
/// says which sign it was: never dropped, since it is the answer that matters most.
fn exercise_pain_observation(number: usize, pain: &ExercisePain<'_>, subject: &Value) -> Value {
    let mut observation = json!({
        "resourceType": "Observation",
        "id": format!("exercise-pain-{number}"),
        "status": "final",
        "category": survey_category(),
        "subject": subject,
        "effectiveDateTime": pain.day.format("%Y-%m-%d").to_string(),
    });
    let note = format!("Hip pain right after {} in a session.", pain.exercise);
    match pain.answer {
        PainAnswer::Score(score) => {
            observation["code"] = pain_score_code();
            observation["valueInteger"] = json!(score.get());
        }
        PainAnswer::NotAnswered => {
            observation["code"] = pain_score_code();
            observation["dataAbsentReason"] = json!({
                "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "code": "asked-declined",
                    "display": "Asked But Declined"
                }]
            });
        }
        red => {
            observation["code"] = json!({ "text": "Hip pain warning sign during exercise" });
            observation["valueString"] = json!(red.label());
            observation["interpretation"] = json!([{ "text": "Red sign: the exercise was stopped for the day" }]);
        }
    }
    observation["note"] = json!([{ "text": note }]);
    observation
}

fn pain_observation(number: usize, checkin: &PainCheckin, subject: &Value) -> Value {
    let moment = match checkin.moment {
        Moment::Before => "before a session",
        Moment::After => "after a session",
        Moment::NextMorning => "the morning after a session",
    };
    let mut note = format!("Hip pain {moment}");
    if checkin.sharp {
        note.push_str("; a red sign (sharp, pinching, catching or locking pain, or tingling)");
    }
    if checkin.stiffer {
        note.push_str("; stiffer than usual");
    }
    note.push('.');
    json!({
        "resourceType": "Observation",
        "id": format!("hip-pain-{number}"),
        "status": "final",
        "category": survey_category(),
        "code": pain_score_code(),
        "subject": subject,
        "effectiveDateTime": checkin.day.format("%Y-%m-%d").to_string(),
        "valueInteger": checkin.score.get(),
        "note": [{ "text": note }]
    })
}

/// SNOMED CT's code system.
const SNOMED: &str = "http://snomed.info/sct";

/// The hip joint on one side, as a SNOMED CT expression, its display and its text.
fn hip_joint(side: Side) -> (&'static str, &'static str, &'static str) {
    match side {
        Side::Left => ("24136001:272741003=7771000", "Hip joint structure, left", "Left hip"),
        Side::Right => ("24136001:272741003=24028007", "Hip joint structure, right", "Right hip"),
    }
}

/// The body position the test is done in, in SNOMED CT.
fn body_position(position: TestPosition) -> (&'static str, &'static str) {
    match position {
        TestPosition::Seated => ("33586001", "Sitting position"),
        TestPosition::Prone => ("1240000", "Prone body position"),
    }
}

fn observation(number: usize, m: &Measurement, subject: &Value) -> Value {
    let (site_code, site_display, side) = hip_joint(m.side);
    let (position_code, position_display) = body_position(m.position);
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
        "subject": subject,
        "effectiveDateTime": m.day.format("%Y-%m-%d").to_string(),
        "extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/observation-bodyPosition",
            "valueCodeableConcept": {
                "coding": [{ "system": SNOMED, "code": position_code, "display": position_display }],
                "text": format!("{} test", m.position)
            }
        }],
        "bodySite": {
            "coding": [{ "system": SNOMED, "code": site_code, "display": site_display }],
            "text": side
        },
        "method": { "text": format!("{method}, {} test, median of three trials", m.position) },
        "valueQuantity": {
            "value": m.degrees.round() as i64,
            "unit": "deg",
            "system": "http://unitsofmeasure.org",
            "code": "deg"
        },
        "component": [{
            "code": { "text": "Measurement uncertainty of the method (±)" },
            "valueQuantity": {
                "value": m.uncertainty.round() as i64,
                "unit": "deg",
                "system": "http://unitsofmeasure.org",
                "code": "deg"
            }
        }],
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
            client_key: None,
        }
    }

    /// The parts of the R4 structure a receiving system checks: required elements, their JSON
    /// types, the value sets of the coded ones, and that every reference resolves in the Bundle.
    pub(crate) fn assert_valid_r4_bundle(bundle: &Value) {
        assert_eq!(bundle["resourceType"], "Bundle");
        assert_eq!(bundle["type"], "collection");
        let entries = bundle["entry"].as_array().expect("entry is an array");
        let urls: Vec<&str> =
            entries.iter().map(|e| e["fullUrl"].as_str().expect("every entry has a fullUrl")).collect();
        for url in &urls {
            let uuid = url.strip_prefix("urn:uuid:").expect("a urn:uuid");
            assert!(uuid.len() == 36 && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{url}");
        }
        assert_eq!(urls.iter().collect::<std::collections::BTreeSet<_>>().len(), urls.len(), "fullUrls are unique");
        let patients: Vec<&Value> =
            entries.iter().map(|e| &e["resource"]).filter(|r| r["resourceType"] == "Patient").collect();
        assert_eq!(patients.len(), 1, "one Patient");
        assert!(patients[0]["name"][0]["text"].is_string());
        for entry in entries.iter().filter(|e| e["resource"]["resourceType"] != "Patient") {
            let o = &entry["resource"];
            assert_eq!(o["resourceType"], "Observation");
            let subject = o["subject"]["reference"].as_str().expect("subject is a Reference");
            assert!(urls.contains(&subject), "the subject resolves inside the Bundle");
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
            for coding in o["code"]["coding"].as_array().into_iter().flatten() {
                assert!(coding["system"].as_str().is_some_and(|s| s.starts_with("http")));
                assert!(coding["code"].is_string());
            }
            let when = o["effectiveDateTime"].as_str().expect("effectiveDateTime is a string");
            assert!(NaiveDate::parse_from_str(when, "%Y-%m-%d").is_ok(), "{when} is a FHIR date");
            if let Some(score) = o.get("valueInteger") {
                assert!(score.as_i64().is_some_and(|s| (0..=10).contains(&s)), "a 0-10 score");
            } else {
                assert!(o["bodySite"]["text"].is_string());
                assert!(o["method"]["text"].is_string());
                for q in std::iter::once(&o["valueQuantity"])
                    .chain(o["component"].as_array().expect("the ± is a component").iter().map(|c| &c["valueQuantity"]))
                {
                    assert!(q["value"].is_number());
                    let unit = (q["system"].as_str(), q["code"].as_str());
                    assert_eq!(unit, (Some("http://unitsofmeasure.org"), Some("deg")));
                }
            }
            let notes = o["note"].as_array().expect("note is an array of Annotation");
            assert!(notes.iter().all(|n| n["text"].is_string()), "Annotation.text is required");
        }
    }

    #[test]
    fn measurements_and_pain_become_a_valid_r4_collection_with_one_patient() {
        let checkin = PainCheckin {
            day: NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(),
            moment: Moment::NextMorning,
            exercise: None,
            score: hipcoach_core::units::PainScore::new(3).unwrap(),
            sharp: false,
            stiffer: true,
            recorded_at_ms: 7,
        };
        let measurements =
            [measurement(Side::Left, Method::Goniometer, 34.6), measurement(Side::Right, Method::CameraEstimate, 41.0)];
        let bundle = bundle(&measurements, std::slice::from_ref(&checkin), &[], "me");
        assert_valid_r4_bundle(&bundle);
        assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "Patient");
        let pain = &bundle["entry"][3]["resource"];
        assert_eq!(pain["code"]["coding"][0]["code"], PAIN_LOINC);
        assert_eq!(pain["valueInteger"], 3);
        assert!(pain["note"][0]["text"].as_str().unwrap().contains("morning after"));
        let again = super::bundle(&measurements, &[checkin], &[], "me");
        assert_eq!(again["entry"][1]["fullUrl"], bundle["entry"][1]["fullUrl"], "the same record, the same identity");
        let first = &bundle["entry"][1]["resource"];
        assert_eq!(first["component"][0]["valueQuantity"]["value"], 6, "the ± of a goniometer");
        assert_eq!(first["valueQuantity"]["value"], 35, "whole degrees only");
        assert_eq!(first["bodySite"]["text"], "Left hip");
        assert_eq!(first["code"]["text"], CODE_TEXT);
        assert!(first["note"][0]["text"].as_str().unwrap().starts_with("±6°"));
        assert!(bundle["entry"][2]["resource"]["method"]["text"].as_str().unwrap().contains("estimate"));
    }
}
