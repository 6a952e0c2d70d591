//! Catalog loading: the shipped program is valid and correct, and every kind of authoring
//! mistake is reported with its file, field and reason, all at once.

use super::*;
use crate::units::{HoldSeconds, RepCount};

const VALID: &str = r#"
id = "test-stretch"
name = "Test stretch"
kind = "stretch"
position = "seated-chair"
laterality = "unilateral"
motion = "Hip flexion"
muscles = ["gluteus maximus"]
summary = "A stretch for tests."
why = "Because tests need one."
goals = ["general"]
source = "clinician"
steps = ["Sit.", "Lean forward."]
form_cues = ["Long back."]
precautions = ["Stop on sharp pain."]

[dose]
hold_seconds = 30
sets = 2
rest_seconds = 15

[breathing]
hold = "Breathe slowly."

[[mistakes]]
mistake = "Bouncing."
fix = "Hold still."
"#;

fn with(replace: &str, by: &str) -> String {
    assert!(VALID.contains(replace), "fixture lacks {replace:?}");
    VALID.replacen(replace, by, 1)
}

fn problems(files: &[(&str, &str)]) -> Vec<Problem> {
    match Catalog::from_files(files.iter().copied()) {
        Ok(_) => Vec::new(),
        Err(error) => error.problems,
    }
}

/// Asserts one problem for (file, field) whose reason contains `words`.
fn assert_problem(found: &[Problem], file: &str, field: &str, words: &str) {
    assert!(
        found.iter().any(|p| p.file == file && p.field == field && p.reason.contains(words)),
        "expected {file}: {field}: …{words}… in\n{}",
        found.iter().map(|p| format!("  {p}\n")).collect::<String>()
    );
}

#[test]
fn the_fixture_is_valid() {
    let catalog = Catalog::from_files([("test-stretch.toml", VALID)]).unwrap();
    let exercise = catalog.get("test-stretch").unwrap();
    assert_eq!(exercise.dose.effort, Effort::Hold { seconds: HoldSeconds::new(30).unwrap() });
    assert_eq!(exercise.breathing_cue(Phase::Hold), Some("Breathe slowly."));
}

#[test]
fn unknown_fields_are_reported_with_their_path_and_the_allowed_fields() {
    let text =
        with("sets = 2", "sets = 2\ntmepo = 3").replace("fix = \"Hold still.\"", "fix = \"Hold still.\"\nfixx = 1");
    let text = text.replace("why = ", "colour = \"red\"\nwhy = ");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "dose.tmepo", "allowed here are: hold_seconds, reps");
    assert_problem(&found, "test-stretch.toml", "mistakes[0].fixx", "allowed here are: mistake, fix");
    assert_problem(&found, "test-stretch.toml", "colour", "unknown field");
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn a_broken_link_is_reported_in_the_same_run_as_an_unknown_field() {
    let text = with("steps", "progressions = [\"harder-stretch\"]\ncolour = \"red\"\nsteps");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "colour", "unknown field");
    assert_problem(&found, "test-stretch.toml", "progressions[0]", "`harder-stretch` is not an exercise");
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn a_missing_dose_is_reported() {
    let text = with("[dose]\nhold_seconds = 30\nsets = 2\nrest_seconds = 15\n", "");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "dose", "missing");
}

#[test]
fn a_hold_of_zero_seconds_is_refused() {
    let found = problems(&[("test-stretch.toml", &with("hold_seconds = 30", "hold_seconds = 0"))]);
    assert_problem(&found, "test-stretch.toml", "dose.hold_seconds", "between 5 and 120 s");
}

#[test]
fn reps_out_of_range_are_refused() {
    let text = with("hold_seconds = 30", "reps = 45\ntempo = { out = 2, hold = 0, back = 2 }")
        .replace("hold = \"Breathe slowly.\"", "out = \"In.\"\nback = \"Out.\"");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "dose.reps", "between 1 and 30");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_dose_must_be_a_hold_or_reps_not_both() {
    let found = problems(&[("test-stretch.toml", &with("hold_seconds = 30", "hold_seconds = 30\nreps = 10"))]);
    assert_problem(&found, "test-stretch.toml", "dose", "not both");
}

#[test]
fn reps_need_a_tempo_and_a_breathing_cue_for_each_phase() {
    let text = with("hold_seconds = 30", "reps = 10");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "dose.tempo", "missing");

    let text = with("hold_seconds = 30", "reps = 10\ntempo = { out = 2, hold = 0, back = 2 }");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "breathing.out", "needs a breathing cue");
    assert_problem(&found, "test-stretch.toml", "breathing.back", "needs a breathing cue");
    assert_problem(&found, "test-stretch.toml", "breathing.hold", "no hold phase");
}

#[test]
fn a_tempo_phase_of_zero_seconds_for_a_movement_is_refused() {
    let text = with("hold_seconds = 30", "reps = 10\ntempo = { out = 0, hold = 1, back = 2 }")
        .replace("hold = \"Breathe slowly.\"", "out = \"In.\"\nhold = \"Easy.\"\nback = \"Out.\"");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "dose.tempo.out", "between 1 and 10 s");
}

#[test]
fn a_banded_exercise_needs_its_starting_band_and_others_must_not_have_one() {
    let banded = with("laterality", "equipment = [\"band\"]\nlaterality");
    let found = problems(&[("test-stretch.toml", &banded)]);
    assert_problem(&found, "test-stretch.toml", "dose.band", "needs its starting band");

    let stray = with("sets = 2", "sets = 2\nband = \"light\"");
    let found = problems(&[("test-stretch.toml", &stray)]);
    assert_problem(&found, "test-stretch.toml", "dose.band", "only banded exercises");
}

#[test]
fn unknown_vocabulary_values_list_the_accepted_ones() {
    let text = with("kind = \"stretch\"", "kind = \"yoga\"")
        .replace("goals = [\"general\"]", "goals = [\"general\", \"sleep\"]");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "kind", "`stretch`, `mobility`, `activation`, `strength`");
    assert_problem(&found, "test-stretch.toml", "goals[1]", "unknown value `sleep`");
}

#[test]
fn missing_and_empty_required_fields_are_each_reported() {
    let text = with("name = \"Test stretch\"\n", "").replace("summary = \"A stretch for tests.\"", "summary = \"  \"");
    let text = text.replace("steps = [\"Sit.\", \"Lean forward.\"]", "steps = [\"Sit.\"]");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "name", "missing");
    assert_problem(&found, "test-stretch.toml", "summary", "is empty");
    assert_problem(&found, "test-stretch.toml", "steps", "at least 2");
}

#[test]
fn a_type_error_names_the_key_and_line() {
    let found = problems(&[("test-stretch.toml", &with("sets = 2", "sets = \"two\""))]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].field, "sets");
    assert!(found[0].reason.contains("expected a whole number (line 19)"), "{}", found[0].reason);
}

#[test]
fn broken_toml_is_reported_not_panicked_on() {
    let found = problems(&[("test-stretch.toml", "id = \"unterminated")]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].file, "test-stretch.toml");
}

#[test]
fn the_file_name_must_match_the_id() {
    let found = problems(&[("other-name.toml", VALID)]);
    assert_problem(&found, "other-name.toml", "id", "rename the file to `test-stretch.toml`");
}

#[test]
fn duplicate_ids_are_reported_with_both_files() {
    let found = problems(&[("test-stretch.toml", VALID), ("copy/test-stretch.toml", VALID)]);
    assert_problem(&found, "copy/test-stretch.toml", "id", "already the id of test-stretch.toml");
}

#[test]
fn dangling_and_self_links_are_reported() {
    let text = with("steps", "progressions = [\"harder-stretch\"]\nalternatives = [\"test-stretch\"]\nsteps");
    let found = problems(&[("test-stretch.toml", &text)]);
    assert_problem(&found, "test-stretch.toml", "progressions[0]", "`harder-stretch` is not an exercise");
    assert_problem(&found, "test-stretch.toml", "alternatives[0]", "cannot link to itself");
}

#[test]
fn a_cycle_in_progressions_is_reported_once_with_its_route() {
    let file = |id: &str, next: &str| {
        with("id = \"test-stretch\"", &format!("id = \"{id}\""))
            .replace("steps", &format!("progressions = [\"{next}\"]\nsteps"))
    };
    let (a, b, c) = (file("step-aaa", "step-bbb"), file("step-bbb", "step-ccc"), file("step-ccc", "step-aaa"));
    let found = problems(&[("step-aaa.toml", &a), ("step-bbb.toml", &b), ("step-ccc.toml", &c)]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_problem(&found, "step-aaa.toml", "progressions", "step-aaa → step-bbb → step-ccc → step-aaa");
}

#[test]
fn every_problem_in_every_file_comes_in_one_report() {
    let bad_hold = with("hold_seconds = 30", "hold_seconds = 0");
    let bad_id = with("id = \"test-stretch\"", "id = \"Bad Id\"");
    let found = problems(&[("test-stretch.toml", &bad_hold), ("bad.toml", &bad_id), ("broken.toml", "= nonsense")]);
    let files: BTreeSet<&str> = found.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(files, BTreeSet::from(["test-stretch.toml", "bad.toml", "broken.toml"]));
}

#[test]
fn a_user_file_replaces_the_built_in_exercise_with_the_same_id() {
    let builtin = Catalog::builtin();
    let original = builtin.get("clamshell").unwrap();
    let text = Catalog::builtin_files().iter().find(|(name, _)| *name == "clamshell.toml").unwrap().1;
    let edited = text.replace("reps = 10", "reps = 12");
    let catalog = builtin.extended_with([("mine/clamshell.toml", edited.as_str())]).unwrap();
    let Effort::Reps { count, .. } = catalog.get("clamshell").unwrap().dose.effort else { panic!("clamshell is reps") };
    assert_eq!(count, RepCount::new(12).unwrap());
    assert_eq!(catalog.len(), builtin.len());
    assert_ne!(original.dose, catalog.get("clamshell").unwrap().dose);
}

mod builtin {
    use super::*;

    fn exercise(id: &str) -> &'static Exercise {
        Catalog::builtin().get(id).unwrap_or_else(|| panic!("built-in catalog lacks {id}"))
    }

    #[test]
    fn covers_every_exercise_of_the_program() {
        for id in [
            // From the articles.
            "seated-cross-legged-hip-stretch",
            "figure-four-stretch",
            "seated-hip-internal-rotation",
            "banded-seated-hip-internal-rotation",
            "banded-seated-hip-abduction",
            "standing-side-hip-abduction",
            "clamshell",
            // Strength alongside, each with a beginner version.
            "box-squat",
            "bodyweight-squat",
            "supported-split-squat",
            "reverse-lunge",
            "hip-hinge-drill",
            "romanian-deadlift",
            // True end-range internal rotation.
            "hip-90-90-switch",
            "prone-hip-internal-rotation",
            "windshield-wipers",
            "seated-hip-internal-rotation-foot-free",
        ] {
            exercise(id);
        }
    }

    #[test]
    fn each_strength_lift_has_a_beginner_version() {
        for (beginner, lift) in [
            ("box-squat", "bodyweight-squat"),
            ("supported-split-squat", "reverse-lunge"),
            ("hip-hinge-drill", "romanian-deadlift"),
        ] {
            assert!(exercise(beginner).links.progressions.iter().any(|id| id.as_str() == lift));
            assert!(exercise(lift).links.regressions.iter().any(|id| id.as_str() == beginner));
        }
    }

    #[test]
    fn progressions_and_regressions_mirror_each_other() {
        let catalog = Catalog::builtin();
        for exercise in catalog.exercises() {
            for next in &exercise.links.progressions {
                let harder = catalog.get(next.as_str()).unwrap();
                assert!(harder.links.regressions.contains(&exercise.id), "{} → {next} has no way back", exercise.id);
            }
        }
    }

    #[test]
    fn the_articles_external_rotation_stretches_are_named_and_explained_honestly() {
        for id in ["seated-cross-legged-hip-stretch", "figure-four-stretch"] {
            let e = exercise(id);
            assert!(
                !e.name.to_lowercase().contains("internal"),
                "{id} must not be called an internal-rotation stretch"
            );
            assert!(e.motion.to_lowercase().contains("external rotation"), "{id}: {}", e.motion);
            assert!(e.why.to_lowercase().contains("indirect"), "{id} must call its benefit to IR indirect");
            assert!(e.source_note.is_some(), "{id} must say what was corrected");
        }
    }

    #[test]
    fn seated_internal_rotation_moves_the_knee_inward_not_outward() {
        let text = exercise("seated-hip-internal-rotation").steps.join(" ").to_lowercase();
        assert!(text.contains("inward"), "{text}");
        assert!(!text.contains("knee outward") && !text.contains("knee outwards"), "{text}");
    }

    #[test]
    fn banded_abduction_is_not_sold_as_internal_rotation_work() {
        let e = exercise("banded-seated-hip-abduction");
        assert!(e.motion.to_lowercase().contains("external rotation"), "{}", e.motion);
        assert!(!e.contraindication_tags.contains(&ContraindicationTag::InternalRotation));
    }

    #[test]
    fn banded_internal_rotation_resists_the_foot_moving_outward() {
        let e = exercise("banded-seated-hip-internal-rotation");
        let steps = e.steps.join(" ").to_lowercase();
        assert!(steps.contains("ankle"), "the band goes round the ankle: {steps}");
        assert_eq!(e.dose.band, Some(BandLevel::Light));
    }

    #[test]
    fn the_clamshell_lifts_the_top_knee_with_feet_together() {
        let steps = exercise("clamshell").steps.join(" ").to_lowercase();
        assert!(steps.contains("knee") && steps.contains("feet"), "{steps}");
    }

    #[test]
    fn no_exercise_repeats_the_articles_injury_prevention_claims() {
        for e in Catalog::builtin().exercises() {
            let text = format!("{} {}", e.why, e.summary).to_lowercase();
            for claim in ["it band", "iliotibial", "patellofemoral"] {
                assert!(!text.contains(claim), "{} repeats the {claim} claim", e.id);
            }
        }
    }

    #[test]
    fn every_internal_rotation_drill_warns_against_pushing_into_a_bony_block() {
        for e in Catalog::builtin().exercises() {
            if e.contraindication_tags.contains(&ContraindicationTag::InternalRotation)
                && e.contraindication_tags.contains(&ContraindicationTag::EndRange)
            {
                let text = e.precautions.join(" ").to_lowercase();
                assert!(text.contains("bone"), "{} lacks the bony end-point precaution", e.id);
            }
        }
    }

    #[test]
    fn stretches_start_at_two_holds_of_thirty_seconds() {
        for e in Catalog::builtin().exercises().filter(|e| e.kind == Kind::Stretch) {
            assert_eq!(e.dose.effort, Effort::Hold { seconds: HoldSeconds::new(30).unwrap() }, "{}", e.id);
            assert_eq!(e.dose.sets.get(), 2, "{}", e.id);
        }
    }

    #[test]
    fn rotation_and_band_work_starts_at_ten_reps_with_a_slow_tempo() {
        for e in Catalog::builtin().exercises().filter(|e| matches!(e.kind, Kind::Activation | Kind::Mobility)) {
            if let Effort::Reps { count, tempo } = e.dose.effort {
                assert!((6..=15).contains(&count.get()), "{}", e.id);
                assert!(tempo.out.get() >= 2 && tempo.back.get() >= 2, "{} moves too fast", e.id);
            }
        }
    }

    #[test]
    fn enough_true_internal_rotation_drills_exist() {
        let count = Catalog::builtin()
            .exercises()
            .filter(|e| {
                e.kind == Kind::Mobility && e.contraindication_tags.contains(&ContraindicationTag::InternalRotation)
            })
            .count();
        assert!(count >= 3, "only {count} internal-rotation mobility drills");
    }

    #[test]
    fn every_exercise_can_be_found_by_name_and_alias() {
        let catalog = Catalog::builtin();
        for e in catalog.exercises() {
            assert_eq!(catalog.find(&e.name.to_uppercase()).map(|x| &x.id), Some(&e.id));
            for alias in &e.aliases {
                assert!(catalog.find(alias).is_some(), "alias {alias} of {}", e.id);
            }
        }
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_arbitrary_text(text in ".{0,400}") {
            let _ = Catalog::from_files([("any.toml", text.as_str())]);
        }

        #[test]
        fn on_a_valid_file_with_a_line_replaced(line in 0usize..40, replacement in "[a-z_\\[\\]=\" 0-9.-]{0,30}") {
            let mut lines: Vec<&str> = VALID.lines().collect();
            if line < lines.len() {
                lines[line] = &replacement;
            }
            let text = lines.join("\n");
            if let Err(error) = Catalog::from_files([("test-stretch.toml", text.as_str())]) {
                prop_assert!(!error.problems.is_empty());
                prop_assert!(error.problems.iter().all(|p| !p.reason.is_empty() && !p.field.is_empty()));
            }
        }
    }
}
