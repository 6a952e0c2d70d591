//! Reading one exercise file: the lenient shape serde fills, then the checks that turn it into an
//! [`Exercise`]. Every field is optional here so that a missing field is one problem among many
//! instead of the first and only error.

use super::exercise::*;
use super::problem::Problem;
use crate::units::{HoldSeconds, MovePhaseSeconds, PausePhaseSeconds, RepCount, RestSeconds, SetCount};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Default, Deserialize)]
struct RawExercise {
    id: Option<String>,
    name: Option<String>,
    aliases: Option<Vec<String>>,
    kind: Option<String>,
    position: Option<String>,
    equipment: Option<Vec<String>>,
    laterality: Option<String>,
    motion: Option<String>,
    muscles: Option<Vec<String>>,
    summary: Option<String>,
    why: Option<String>,
    goals: Option<Vec<String>>,
    source: Option<String>,
    source_note: Option<String>,
    contraindication_tags: Option<Vec<String>>,
    progressions: Option<Vec<String>>,
    regressions: Option<Vec<String>>,
    alternatives: Option<Vec<String>>,
    steps: Option<Vec<String>>,
    form_cues: Option<Vec<String>>,
    precautions: Option<Vec<String>>,
    dose: Option<RawDose>,
    breathing: Option<RawBreathing>,
    mistakes: Option<Vec<RawMistake>>,
}

const EXERCISE_FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "kind",
    "position",
    "equipment",
    "laterality",
    "motion",
    "muscles",
    "summary",
    "why",
    "goals",
    "source",
    "source_note",
    "contraindication_tags",
    "progressions",
    "regressions",
    "alternatives",
    "steps",
    "form_cues",
    "precautions",
    "dose",
    "breathing",
    "mistakes",
];

#[derive(Debug, Deserialize)]
struct RawDose {
    hold_seconds: Option<i64>,
    reps: Option<i64>,
    tempo: Option<RawTempo>,
    sets: Option<i64>,
    rest_seconds: Option<i64>,
    band: Option<String>,
}

/// Where a rep-based drill starts (clinical defaults: 10–15 per side, slow and controlled).
const STARTING_REPS: std::ops::RangeInclusive<i64> = 10..=15;

const DOSE_FIELDS: &[&str] = &["hold_seconds", "reps", "tempo", "sets", "rest_seconds", "band"];

#[derive(Debug, Deserialize)]
struct RawTempo {
    out: Option<i64>,
    hold: Option<i64>,
    back: Option<i64>,
}

const TEMPO_FIELDS: &[&str] = &["out", "hold", "back"];

#[derive(Debug, Deserialize)]
struct RawBreathing {
    setup: Option<String>,
    out: Option<String>,
    hold: Option<String>,
    back: Option<String>,
}

const BREATHING_FIELDS: &[&str] = &["setup", "out", "hold", "back"];

#[derive(Debug, Deserialize)]
struct RawMistake {
    mistake: Option<String>,
    fix: Option<String>,
}

const MISTAKE_FIELDS: &[&str] = &["mistake", "fix"];

/// Parses and checks one exercise file. Returns the exercise whenever its fields could be read,
/// even beside other problems (an unknown field, a file name), so that its links are checked
/// against the whole catalog in the same run: every problem at once. A catalog with any problem
/// is refused as a whole, so such an exercise is never used.
pub(crate) fn parse_exercise(file: &str, text: &str) -> (Option<Exercise>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut unknown = Vec::new();
    let parsed: Result<RawExercise, toml::de::Error> =
        serde_ignored::deserialize(toml::Deserializer::new(text), |path| unknown.push(path.to_string()));
    for path in unknown {
        problems.push(Problem::new(file, field_path(&path), unknown_field_reason(&path)));
    }
    let raw = match parsed {
        Ok(raw) => raw,
        Err(error) => {
            problems.push(syntax_problem(file, text, &error));
            return (None, problems);
        }
    };
    let exercise = Checker { file, problems: &mut problems }.exercise(raw);
    if let Some(exercise) = &exercise {
        let expected = format!("{}.toml", exercise.id);
        let base_name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        if base_name != expected {
            problems.push(Problem::new(
                file,
                "id",
                format!("the id `{}` does not match the file name; rename the file to `{expected}`", exercise.id),
            ));
        }
    }
    (exercise, problems)
}

/// Writes serde's `mistakes.0.fix` the way the other problems do: `mistakes[0].fix`.
fn field_path(path: &str) -> String {
    let mut out = String::new();
    // serde_ignored writes `?` for an `Option` layer; people never see those.
    for segment in path.split('.').filter(|s| *s != "?") {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

fn unknown_field_reason(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').filter(|s| *s != "?" && s.parse::<usize>().is_err()).collect();
    let known = match segments.as_slice() {
        [_] => EXERCISE_FIELDS,
        ["dose", "tempo", _] => TEMPO_FIELDS,
        ["dose", _] => DOSE_FIELDS,
        ["breathing", _] => BREATHING_FIELDS,
        ["mistakes", _] => MISTAKE_FIELDS,
        _ => &[],
    };
    if known.is_empty() {
        "unknown field; remove it".to_owned()
    } else {
        format!("unknown field; the fields allowed here are: {}", known.join(", "))
    }
}

/// Turns a TOML or type error into a problem, naming the key on the offending line when it can.
fn syntax_problem(file: &str, text: &str, error: &toml::de::Error) -> Problem {
    let message = error.message().trim().replace("expected i64", "expected a whole number");
    let Some(span) = error.span() else {
        return Problem::new(file, "(file)", message);
    };
    let before = &text[..span.start.min(text.len())];
    let line_number = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_number - 1).unwrap_or("");
    let key = line
        .split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"').to_owned())
        .filter(|key| !key.is_empty() && !key.starts_with('['));
    match key {
        Some(key) => Problem::new(file, key, format!("{message} (line {line_number})")),
        None => Problem::new(file, format!("line {line_number}"), message),
    }
}

/// Collects problems while converting the raw fields, so that one bad field never hides another.
struct Checker<'a> {
    file: &'a str,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn problem(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(Problem::new(self.file, field, reason));
    }

    fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.problem(field, "missing: this field is required");
        }
        value
    }

    fn text(&mut self, field: &str, value: Option<String>) -> Option<String> {
        let value = self.required(field, value)?;
        if value.trim().is_empty() {
            self.problem(field, "is empty: write at least a few words");
            return None;
        }
        Some(value.trim().to_owned())
    }

    fn optional_text(&mut self, field: &str, value: Option<String>) -> Option<Option<String>> {
        match value {
            None => Some(None),
            Some(_) => self.text(field, value).map(Some),
        }
    }

    /// A list of sentences; `min` says how many at least.
    fn texts(&mut self, field: &str, value: Option<Vec<String>>, min: usize) -> Option<Vec<String>> {
        let value = if min == 0 { value.or(Some(Vec::new())) } else { value };
        let value = self.required(field, value)?;
        let mut ok = true;
        if value.len() < min {
            self.problem(field, format!("needs at least {min} item{}", if min == 1 { "" } else { "s" }));
            ok = false;
        }
        for (index, item) in value.iter().enumerate() {
            if item.trim().is_empty() {
                self.problem(format!("{field}[{index}]"), "is empty: remove it or write the text");
                ok = false;
            }
        }
        ok.then(|| value.into_iter().map(|s| s.trim().to_owned()).collect())
    }

    /// One value of a vocabulary, e.g. a `kind`.
    fn word<T: DeserializeOwned>(&mut self, field: &str, value: Option<String>) -> Option<T> {
        let value = self.required(field, value)?;
        match toml::Value::String(value).try_into::<T>() {
            Ok(word) => Some(word),
            Err(error) => {
                self.problem(field, error.message().trim().replace("variant", "value"));
                None
            }
        }
    }

    /// A list of vocabulary values, each at most once.
    fn words<T: DeserializeOwned + PartialEq>(
        &mut self,
        field: &str,
        value: Option<Vec<String>>,
        min: usize,
    ) -> Option<Vec<T>> {
        let value = if min == 0 { value.or(Some(Vec::new())) } else { value };
        let value = self.required(field, value)?;
        if value.len() < min {
            self.problem(field, format!("needs at least {min} value"));
            return None;
        }
        let mut words = Vec::new();
        let mut ok = true;
        for (index, item) in value.into_iter().enumerate() {
            let item_field = format!("{field}[{index}]");
            match self.word::<T>(&item_field, Some(item.clone())) {
                Some(word) if words.contains(&word) => {
                    self.problem(item_field, format!("`{item}` is listed twice"));
                    ok = false;
                }
                Some(word) => words.push(word),
                None => ok = false,
            }
        }
        ok.then_some(words)
    }

    fn ids(&mut self, field: &str, value: Option<Vec<String>>) -> Option<Vec<ExerciseId>> {
        let mut ids = Vec::new();
        let mut ok = true;
        for (index, item) in value.unwrap_or_default().iter().enumerate() {
            match ExerciseId::parse(item) {
                Ok(id) => ids.push(id),
                Err(reason) => {
                    self.problem(format!("{field}[{index}]"), reason);
                    ok = false;
                }
            }
        }
        ok.then_some(ids)
    }

    fn number<T>(
        &mut self,
        field: &str,
        value: Option<i64>,
        parse: fn(i64) -> Result<T, crate::units::OutOfRange>,
    ) -> Option<T> {
        let value = self.required(field, value)?;
        parse(value).map_err(|error| self.problem(field, error.to_string())).ok()
    }

    fn exercise(&mut self, raw: RawExercise) -> Option<Exercise> {
        let id =
            self.required("id", raw.id).and_then(|id| ExerciseId::parse(&id).map_err(|r| self.problem("id", r)).ok());
        let name = self.text("name", raw.name);
        let aliases = self.texts("aliases", raw.aliases, 0);
        let kind = self.word("kind", raw.kind);
        let position = self.word("position", raw.position);
        let equipment: Option<Vec<Equipment>> = self.words("equipment", raw.equipment, 0);
        let laterality = self.word("laterality", raw.laterality);
        let motion = self.text("motion", raw.motion);
        let muscles = self.texts("muscles", raw.muscles, 1);
        let summary = self.text("summary", raw.summary);
        let why = self.text("why", raw.why);
        let goals = self.words("goals", raw.goals, 1);
        let source = self.word("source", raw.source);
        let source_note = self.optional_text("source_note", raw.source_note);
        let contraindication_tags = self.words("contraindication_tags", raw.contraindication_tags, 0);
        let progressions = self.ids("progressions", raw.progressions);
        let regressions = self.ids("regressions", raw.regressions);
        let alternatives = self.ids("alternatives", raw.alternatives);
        let steps = self.texts("steps", raw.steps, 2);
        let form_cues = self.texts("form_cues", raw.form_cues, 1);
        let precautions = self.texts("precautions", raw.precautions, 1);
        let uses_band = equipment.as_ref().map(|e| e.contains(&Equipment::Band));
        let dose = self.required("dose", raw.dose).and_then(|dose| self.dose(dose, uses_band));
        let breathing = self
            .required("breathing", raw.breathing)
            .and_then(|breathing| self.breathing(breathing, dose.map(|d| d.effort)));
        let mistakes = self.mistakes(raw.mistakes);

        Some(Exercise {
            id: id?,
            name: name?,
            aliases: aliases?,
            kind: kind?,
            position: position?,
            equipment: equipment?,
            laterality: laterality?,
            motion: motion?,
            muscles: muscles?,
            summary: summary?,
            why: why?,
            goals: goals?,
            source: source?,
            source_note: source_note?,
            contraindication_tags: contraindication_tags?,
            links: Links { progressions: progressions?, regressions: regressions?, alternatives: alternatives? },
            steps: steps?,
            form_cues: form_cues?,
            precautions: precautions?,
            dose: dose?,
            breathing: breathing?,
            mistakes: mistakes?,
        })
    }

    /// `uses_band` is `None` when the equipment list itself was invalid.
    fn dose(&mut self, raw: RawDose, uses_band: Option<bool>) -> Option<Dose> {
        let sets = self.number("dose.sets", raw.sets, SetCount::new);
        let rest = self.number("dose.rest_seconds", raw.rest_seconds, RestSeconds::new);
        let effort = match (raw.hold_seconds, raw.reps) {
            (Some(_), Some(_)) => {
                self.problem("dose", "give either hold_seconds (a static hold) or reps (with a tempo), not both");
                None
            }
            (None, None) => {
                self.problem(
                    "dose",
                    "missing the effort: add hold_seconds for a hold, or reps and tempo for repetitions",
                );
                None
            }
            (Some(seconds), None) => {
                if raw.tempo.is_some() {
                    self.problem("dose.tempo", "a tempo applies to reps only; remove it from a hold");
                }
                let seconds = self.number("dose.hold_seconds", Some(seconds), HoldSeconds::new);
                seconds.map(|seconds| Effort::Hold { seconds })
            }
            (None, Some(count)) => {
                if RepCount::new(count).is_ok() && !STARTING_REPS.contains(&count) {
                    self.problem(
                        "dose.reps",
                        format!(
                            "{count} reps: a rep-based drill starts at 10 to 15 reps per side, slow and controlled; progression raises them from there"
                        ),
                    );
                }
                let count = self.number("dose.reps", Some(count), RepCount::new);
                let tempo = self.required("dose.tempo", raw.tempo).and_then(|tempo| {
                    let out = self.number("dose.tempo.out", tempo.out, MovePhaseSeconds::new);
                    let hold = self.number("dose.tempo.hold", tempo.hold, PausePhaseSeconds::new);
                    let back = self.number("dose.tempo.back", tempo.back, MovePhaseSeconds::new);
                    Some(Tempo { out: out?, hold: hold?, back: back? })
                });
                Some(Effort::Reps { count: count?, tempo: tempo? })
            }
        };
        let band = match (raw.band, uses_band) {
            (Some(band), Some(true)) => self.word::<BandLevel>("dose.band", Some(band)).map(Some),
            (None, Some(true)) => {
                self.problem(
                    "dose.band",
                    "missing: a banded exercise needs its starting band (light, medium or heavy)",
                );
                None
            }
            (Some(_), Some(false)) => {
                self.problem("dose.band", "only banded exercises take a band: add `band` to equipment or remove this");
                None
            }
            (None, _) => Some(None),
            (Some(_), None) => None,
        };
        Some(Dose { effort: effort?, sets: sets?, rest: rest?, band: band? })
    }

    /// Every phase of the dose needs a cue, and no cue may name a phase the dose lacks.
    fn breathing(&mut self, raw: RawBreathing, effort: Option<Effort>) -> Option<Vec<BreathingCue>> {
        let given =
            [(Phase::Setup, raw.setup), (Phase::Out, raw.out), (Phase::Hold, raw.hold), (Phase::Back, raw.back)];
        let phases = effort?.phases();
        let mut cues = Vec::new();
        let mut ok = true;
        for (phase, cue) in given {
            let field = format!("breathing.{}", phase.label());
            let needed = phases.contains(&phase);
            match cue {
                None if needed => {
                    self.problem(
                        field,
                        format!("missing: the dose has a {} phase, so it needs a breathing cue", phase.label()),
                    );
                    ok = false;
                }
                None => {}
                Some(_) if !needed && phase != Phase::Setup => {
                    self.problem(
                        field,
                        format!("the dose has no {} phase; remove this cue or change the dose", phase.label()),
                    );
                    ok = false;
                }
                Some(cue) => match self.text(&field, Some(cue)) {
                    Some(cue) => cues.push(BreathingCue { phase, cue }),
                    None => ok = false,
                },
            }
        }
        ok.then_some(cues)
    }

    fn mistakes(&mut self, raw: Option<Vec<RawMistake>>) -> Option<Vec<Mistake>> {
        let raw = self.required("mistakes", raw)?;
        if raw.is_empty() {
            self.problem("mistakes", "needs at least 1 item");
            return None;
        }
        let mut mistakes = Vec::new();
        let mut ok = true;
        for (index, item) in raw.into_iter().enumerate() {
            let mistake = self.text(&format!("mistakes[{index}].mistake"), item.mistake);
            let fix = self.text(&format!("mistakes[{index}].fix"), item.fix);
            match (mistake, fix) {
                (Some(mistake), Some(fix)) => mistakes.push(Mistake { mistake, fix }),
                _ => ok = false,
            }
        }
        ok.then_some(mistakes)
    }
}
