//! The exercise catalog: one data file per exercise, checked as a whole.
//!
//! Files are parsed one by one ([`raw`]), then checked together: ids are unique, every link
//! names an exercise that exists, and progressions never loop back on themselves (a loop would
//! let the progression engine climb forever). Every problem is reported at once.

mod exercise;
mod problem;
mod raw;

pub use exercise::*;
pub use problem::{CatalogError, Problem};

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// A checked set of exercises, keyed by id.
#[derive(Debug, Clone)]
pub struct Catalog {
    exercises: BTreeMap<ExerciseId, Exercise>,
    /// Which file each exercise came from, for reports.
    origins: BTreeMap<ExerciseId, String>,
}

/// Link chains are short; this bounds every walk along them.
const MAX_FAMILY_HOPS: usize = 16;

impl Catalog {
    /// The program shipped inside the binary. Its validity is a test, so this cannot fail at run time.
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let files = BUILTIN_FILES.iter().map(|(name, text)| (format!("built-in/{name}"), *text));
            Catalog::empty().extended_with(files).unwrap_or_else(|error| panic!("built-in catalog is invalid: {error}"))
        })
    }

    /// The raw built-in files, for someone who wants to copy and edit them.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        BUILTIN_FILES
    }

    /// A catalog with no exercises, to check a folder on its own.
    pub fn empty() -> Self {
        Self { exercises: BTreeMap::new(), origins: BTreeMap::new() }
    }

    /// A catalog made only of `files` (file name, contents).
    pub fn from_files<N: AsRef<str>, T: AsRef<str>>(
        files: impl IntoIterator<Item = (N, T)>,
    ) -> Result<Catalog, CatalogError> {
        Catalog::empty().extended_with(files)
    }

    /// This catalog with `files` layered on top: a file whose id exists already replaces that
    /// exercise (so a clinician can rewrite a cue), a new id adds one. Links are checked across
    /// the result.
    pub fn extended_with<N: AsRef<str>, T: AsRef<str>>(
        &self,
        files: impl IntoIterator<Item = (N, T)>,
    ) -> Result<Catalog, CatalogError> {
        let mut problems = Vec::new();
        let mut catalog = self.clone();
        let mut added: BTreeMap<ExerciseId, String> = BTreeMap::new();
        for (name, text) in files {
            let name = name.as_ref();
            let (exercise, mut found) = raw::parse_exercise(name, text.as_ref());
            problems.append(&mut found);
            let Some(exercise) = exercise else { continue };
            if let Some(first) = added.get(&exercise.id) {
                problems.push(Problem::new(
                    name,
                    "id",
                    format!("`{}` is already the id of {first}; every exercise needs its own id", exercise.id),
                ));
                continue;
            }
            added.insert(exercise.id.clone(), name.to_owned());
            catalog.origins.insert(exercise.id.clone(), name.to_owned());
            catalog.exercises.insert(exercise.id.clone(), exercise);
        }
        problems.extend(catalog.link_problems());
        problems.extend(catalog.progression_cycles());
        if problems.is_empty() { Ok(catalog) } else { Err(CatalogError { problems }) }
    }

    fn link_problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        for exercise in self.exercises.values() {
            let file = &self.origins[&exercise.id];
            let links = &exercise.links;
            for (field, ids) in [
                ("progressions", &links.progressions),
                ("regressions", &links.regressions),
                ("alternatives", &links.alternatives),
            ] {
                for (index, id) in ids.iter().enumerate() {
                    let field = format!("{field}[{index}]");
                    if id == &exercise.id {
                        problems.push(Problem::new(file, field, "an exercise cannot link to itself"));
                    } else if !self.exercises.contains_key(id) {
                        problems.push(Problem::new(
                            file,
                            field,
                            format!("`{id}` is not an exercise in this catalog; check the spelling or add `{id}.toml`"),
                        ));
                    }
                }
            }
        }
        problems
    }

    /// Finds loops in the progression graph (A → B → … → A), each reported once.
    fn progression_cycles(&self) -> Vec<Problem> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            Visiting,
            Done,
        }
        fn visit<'a>(
            catalog: &'a Catalog,
            id: &'a ExerciseId,
            marks: &mut BTreeMap<&'a ExerciseId, Mark>,
            path: &mut Vec<&'a ExerciseId>,
            cycles: &mut Vec<Vec<&'a ExerciseId>>,
        ) {
            match marks.get(id) {
                Some(Mark::Done) => return,
                Some(Mark::Visiting) => {
                    let start = path.iter().position(|p| *p == id).unwrap_or(0);
                    cycles.push(path[start..].to_vec());
                    return;
                }
                None => {}
            }
            marks.insert(id, Mark::Visiting);
            path.push(id);
            if let Some(exercise) = catalog.exercises.get(id) {
                for next in &exercise.links.progressions {
                    visit(catalog, next, marks, path, cycles);
                }
            }
            path.pop();
            marks.insert(id, Mark::Done);
        }

        let mut marks = BTreeMap::new();
        let mut cycles = Vec::new();
        for id in self.exercises.keys() {
            visit(self, id, &mut marks, &mut Vec::new(), &mut cycles);
        }
        let mut seen = BTreeSet::new();
        cycles
            .into_iter()
            .filter(|cycle| seen.insert(cycle.iter().copied().collect::<BTreeSet<_>>()))
            .map(|cycle| {
                let route: Vec<&str> = cycle.iter().chain(cycle.first()).map(|id| id.as_str()).collect();
                Problem::new(
                    &self.origins[cycle[0]],
                    "progressions",
                    format!(
                        "progressions loop back on themselves ({}); a progression must lead to a harder exercise",
                        route.join(" → ")
                    ),
                )
            })
            .collect()
    }

    /// The exercise with this exact id.
    pub fn get(&self, id: &str) -> Option<&Exercise> {
        ExerciseId::parse(id).ok().and_then(|id| self.exercises.get(&id))
    }

    /// The name people know the exercise by, or its id when this catalog does not have it (a
    /// record or plan made with another catalog).
    pub fn name_of(&self, id: &ExerciseId) -> String {
        self.exercises.get(id).map_or_else(|| id.to_string(), |e| e.name.clone())
    }

    /// The exercise called `text` by id, name or alias, ignoring case.
    pub fn find(&self, text: &str) -> Option<&Exercise> {
        self.get(text).or_else(|| self.exercises.values().find(|e| e.is_called(text)))
    }

    /// The easiest version of the exercise's family: the first easier link followed to the end.
    /// Progression stores a family under this id, so it never changes as the person moves up
    /// and down. Link chains are short; the walk is bounded even if a catalog were odd.
    pub fn family_root(&self, id: &ExerciseId) -> ExerciseId {
        let mut current = id.clone();
        let mut seen = std::collections::BTreeSet::new();
        while seen.insert(current.clone()) && seen.len() <= MAX_FAMILY_HOPS {
            match self.get(current.as_str()).and_then(|e| e.links.regressions.first()) {
                Some(easier) => current = easier.clone(),
                None => break,
            }
        }
        current
    }

    /// Every exercise, ordered by id.
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.exercises.values()
    }

    /// How many exercises there are.
    pub fn len(&self) -> usize {
        self.exercises.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.exercises.is_empty()
    }
}

#[cfg(test)]
mod tests;
