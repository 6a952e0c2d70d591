//! Screening: may this person start, and what must their plan leave out?
//!
//! Four verdicts, from "clear to start" to "get urgent care"; the most serious finding wins and
//! every finding is listed in plain words. Alongside the verdict come [`Restrictions`]: the
//! movement features and positions that the answers rule out (hip-replacement precautions,
//! pregnancy). The plan never schedules an exercise that a restriction blocks.
//!
//! Answers arrive from a form as loose responses and are parsed once into [`Answers`], whose
//! shape makes contradictions impossible: a surgical approach exists only inside a
//! [`HipReplacement`], a trimester only inside a [`Pregnancy`].

use super::profile::AgeBand;
use super::questions::{QuestionId, QuestionKind, age, approach, questions, surgery, trimester};
use crate::catalog::{ContraindicationTag, Exercise, Position};
use crate::units::{Day, WholeDegrees};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The screening verdict, ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Nothing found: start gently.
    ClearToStart,
    /// Fine to start, with the cautions listed and any restrictions applied.
    StartWithCautions,
    /// No plan until a clinician has checked things.
    SeeClinicianFirst,
    /// Stop: seek care today.
    UrgentCare,
}

impl Verdict {
    /// Whether a plan may be built.
    pub fn allows_plan(self) -> bool {
        self <= Verdict::StartWithCautions
    }
}

/// Age as answered, including the band the app refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AgeAnswer {
    /// Under 18: not supported.
    Under18,
    /// An adult band.
    Adult(AgeBand),
}

/// The surgical approach of a hip replacement or resurfacing; it decides the precautions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReplacementApproach {
    /// From the back: no inward turning, crossing or deep bending.
    Posterior,
    /// From the front: no extension combined with outward turning, early on.
    Anterior,
    /// From the side: treated like posterior, as the cautious choice.
    Lateral,
    /// Not known: treated like posterior.
    Unknown,
}

/// A replaced or resurfaced hip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HipReplacement {
    /// Whether it was a resurfacing rather than a total replacement.
    pub resurfacing: bool,
    /// The surgical approach.
    pub approach: ReplacementApproach,
    /// Weeks since the operation.
    pub weeks_since_surgery: u32,
    /// Whether the surgeon or physiotherapist cleared inward turning and deep bending.
    pub surgeon_cleared: bool,
    /// Whether the leg suddenly looks shortened or turned (possible dislocation).
    pub looks_shortened_or_turned: bool,
}

/// Hip surgery history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HipSurgery {
    /// None.
    None,
    /// A replacement or resurfacing.
    Replacement(HipReplacement),
    /// Another hip operation, e.g. arthroscopy.
    Other {
        /// Weeks since the operation.
        weeks_since_surgery: u32,
    },
}

/// Trimester of a pregnancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Trimester {
    /// Up to 13 weeks.
    First,
    /// 14 to 27 weeks.
    Second,
    /// 28 weeks on.
    Third,
}

/// A current pregnancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pregnancy {
    /// How far along.
    pub trimester: Trimester,
    /// Whether the midwife or doctor said this exercise is fine.
    pub carer_ok: bool,
}

/// Screening answers, parsed. [`Answers::default`] is an adult of 18–49 who answered no to everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    /// The day the questions were answered; screening is repeated after a year.
    pub day: Day,
    /// Age band.
    pub age: AgeAnswer,
    /// Heart problem or high blood pressure.
    pub heart_or_blood_pressure: bool,
    /// Chest pain at rest, in daily life or when active.
    pub chest_pain: bool,
    /// The chest pain comes on at rest.
    #[serde(default)]
    pub chest_pain_at_rest: bool,
    /// Fainting or dizziness with loss of balance in the last year.
    pub dizzy_or_fainted: bool,
    /// Another long-term condition.
    pub other_chronic_condition: bool,
    /// Prescribed medicine for a long-term condition.
    pub prescribed_medicines: bool,
    /// A bone, joint or soft-tissue problem activity could worsen.
    pub bone_or_joint_problem: bool,
    /// Told to exercise only under medical supervision.
    pub supervised_only: bool,
    /// Saddle numbness or new bladder or bowel changes.
    pub saddle_numbness_or_bladder: bool,
    /// New symptoms in both legs.
    pub both_legs: bool,
    /// Cannot bear weight after a fall or injury.
    pub cannot_bear_weight: bool,
    /// Fever, or a hot swollen hip.
    pub fever_or_hot_joint: bool,
    /// Calf swelling, breathlessness or chest pain.
    pub calf_swelling_or_breathless: bool,
    /// Sudden severe hip pain.
    pub sudden_severe_pain: bool,
    /// Hip pain at night or at rest.
    pub night_or_rest_pain: bool,
    /// Unexplained weight loss or a cancer history.
    pub weight_loss_or_cancer: bool,
    /// Long-term steroid tablets.
    pub long_term_steroids: bool,
    /// Groin pain when loading the leg.
    pub groin_pain_on_loading: bool,
    /// Runs regularly.
    pub runner: bool,
    /// A leg getting weaker or more numb.
    pub leg_weakness_or_numbness: bool,
    /// A fracture of hip, pelvis or thigh in the last 12 weeks.
    pub recent_fracture: bool,
    /// Morning stiffness over an hour or several swollen joints.
    pub inflammatory_signs: bool,
    /// Pain on turning the thigh inward.
    pub pain_turning_inward: bool,
    /// Hip surgery history.
    pub hip_surgery: HipSurgery,
    /// A current pregnancy.
    pub pregnancy: Option<Pregnancy>,
    /// The lower of the two sides' internal rotation, when it has been measured (not a question:
    /// the app fills it in from a measurement).
    pub lowest_measured_ir: Option<WholeDegrees>,
}

impl Default for Answers {
    fn default() -> Self {
        Answers {
            day: Day::new(0),
            age: AgeAnswer::Adult(AgeBand::From18To49),
            heart_or_blood_pressure: false,
            chest_pain: false,
            chest_pain_at_rest: false,
            dizzy_or_fainted: false,
            other_chronic_condition: false,
            prescribed_medicines: false,
            bone_or_joint_problem: false,
            supervised_only: false,
            saddle_numbness_or_bladder: false,
            both_legs: false,
            cannot_bear_weight: false,
            fever_or_hot_joint: false,
            calf_swelling_or_breathless: false,
            sudden_severe_pain: false,
            night_or_rest_pain: false,
            weight_loss_or_cancer: false,
            long_term_steroids: false,
            groin_pain_on_loading: false,
            runner: false,
            leg_weakness_or_numbness: false,
            recent_fracture: false,
            inflammatory_signs: false,
            pain_turning_inward: false,
            hip_surgery: HipSurgery::None,
            pregnancy: None,
            lowest_measured_ir: None,
        }
    }
}

/// One answer as a form sends it: `true`/`false`, a choice id, or a number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Response {
    /// A yes/no answer.
    YesNo(bool),
    /// A number.
    Number(i64),
    /// A choice id.
    Choice(String),
}

/// What is wrong with one answer of a set of form responses. Shown to people: `Display` is
/// "the question: what to do", and [`AnswersError::reason`] the part to show beside the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswersError {
    /// A question that applies was not answered.
    Missing(QuestionId),
    /// An answer has the wrong shape, e.g. a number for a yes/no question.
    WrongKind(QuestionId),
    /// A choice that is not one of the options.
    UnknownChoice {
        /// The question.
        question: QuestionId,
        /// The value sent.
        choice: String,
    },
    /// A number outside the question's bounds.
    OutOfRange {
        /// The question.
        question: QuestionId,
        /// The value sent.
        value: i64,
    },
}

impl AnswersError {
    /// The question it is about.
    pub fn question(&self) -> QuestionId {
        match self {
            AnswersError::Missing(id) | AnswersError::WrongKind(id) => *id,
            AnswersError::UnknownChoice { question, .. } | AnswersError::OutOfRange { question, .. } => *question,
        }
    }

    /// What to do, in words, for beside the question (it never repeats what was typed).
    pub fn reason(&self) -> String {
        let question = questions().into_iter().find(|q| q.id == self.question());
        let kind = question.map(|q| q.kind);
        match (self, kind) {
            (AnswersError::Missing(_), _) => "Please answer this question.".to_owned(),
            (_, Some(QuestionKind::YesNo)) => "Please answer yes or no.".to_owned(),
            (_, Some(QuestionKind::Choice { choices })) => {
                let labels: Vec<String> = choices.iter().map(|c| format!("“{}”", c.label)).collect();
                format!("Please choose one of {}.", labels.join(", "))
            }
            (_, Some(QuestionKind::Number { min, max, unit })) => {
                format!("Please give a whole number from {min} to {max} {unit}.")
            }
            (_, None) => "Please check this answer.".to_owned(),
        }
    }
}

impl std::fmt::Display for AnswersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = questions().into_iter().find(|q| q.id == self.question()).map(|q| q.text).unwrap_or_default();
        write!(f, "“{text}” — {}", super::plan::lowercase_first(&self.reason()))
    }
}

impl std::error::Error for AnswersError {}

impl Answers {
    /// Parses form responses. Every question that applies must be answered; follow-ups that do
    /// not apply are ignored. Every problem is reported at once, in the order of the questions.
    pub fn from_responses(day: Day, responses: &BTreeMap<QuestionId, Response>) -> Result<Answers, Vec<AnswersError>> {
        let all = questions();
        let text_of = |id: QuestionId| -> Option<String> {
            match responses.get(&id)? {
                Response::YesNo(true) => Some("yes".to_owned()),
                Response::YesNo(false) => Some("no".to_owned()),
                Response::Choice(choice) => Some(choice.clone()),
                Response::Number(n) => Some(n.to_string()),
            }
        };
        let mut yes = BTreeMap::new();
        let mut chosen = BTreeMap::new();
        let mut numbers = BTreeMap::new();
        let mut problems = Vec::new();
        for question in &all {
            if let Some(shown_if) = &question.shown_if {
                let earlier = text_of(shown_if.question);
                if !earlier.is_some_and(|e| shown_if.any_of.contains(&e)) {
                    continue;
                }
            }
            let id = question.id;
            let Some(response) = responses.get(&id) else {
                problems.push(AnswersError::Missing(id));
                continue;
            };
            match (&question.kind, response) {
                (QuestionKind::YesNo, Response::YesNo(value)) => {
                    yes.insert(id, *value);
                }
                (QuestionKind::Choice { choices }, Response::Choice(choice)) => {
                    if choices.iter().any(|c| &c.id == choice) {
                        chosen.insert(id, choice.clone());
                    } else {
                        problems.push(AnswersError::UnknownChoice { question: id, choice: choice.clone() });
                    }
                }
                (QuestionKind::Number { min, max, .. }, Response::Number(value)) => {
                    if (*min..=*max).contains(value) {
                        numbers.insert(id, *value);
                    } else {
                        problems.push(AnswersError::OutOfRange { question: id, value: *value });
                    }
                }
                _ => problems.push(AnswersError::WrongKind(id)),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let flag = |id: QuestionId| yes.get(&id).copied().unwrap_or(false);
        let choice = |id: QuestionId| chosen.get(&id).map(String::as_str).unwrap_or_default();
        let weeks = |id: QuestionId| numbers.get(&id).map_or(0, |n| u32::try_from(*n).unwrap_or(0));
        use QuestionId as Q;
        let age = match choice(Q::AgeBand) {
            age::UNDER_18 => AgeAnswer::Under18,
            age::FROM_50_TO_64 => AgeAnswer::Adult(AgeBand::From50To64),
            age::FROM_65 => AgeAnswer::Adult(AgeBand::From65),
            _ => AgeAnswer::Adult(AgeBand::From18To49),
        };
        let hip_surgery = match choice(Q::HipSurgery) {
            kind @ (surgery::REPLACEMENT | surgery::RESURFACING) => HipSurgery::Replacement(HipReplacement {
                resurfacing: kind == surgery::RESURFACING,
                approach: match choice(Q::ReplacementApproach) {
                    approach::POSTERIOR => ReplacementApproach::Posterior,
                    approach::ANTERIOR => ReplacementApproach::Anterior,
                    approach::LATERAL => ReplacementApproach::Lateral,
                    _ => ReplacementApproach::Unknown,
                },
                weeks_since_surgery: weeks(Q::WeeksSinceSurgery),
                surgeon_cleared: flag(Q::SurgeonCleared),
                looks_shortened_or_turned: flag(Q::ReplacedHipLooksDifferent),
            }),
            surgery::OTHER => HipSurgery::Other { weeks_since_surgery: weeks(Q::WeeksSinceSurgery) },
            _ => HipSurgery::None,
        };
        let pregnancy = flag(Q::Pregnant).then(|| Pregnancy {
            trimester: match choice(Q::Trimester) {
                trimester::SECOND => Trimester::Second,
                trimester::THIRD => Trimester::Third,
                _ => Trimester::First,
            },
            carer_ok: flag(Q::CarerOk),
        });
        Ok(Answers {
            day,
            age,
            heart_or_blood_pressure: flag(Q::HeartOrBloodPressure),
            chest_pain: flag(Q::ChestPain),
            chest_pain_at_rest: flag(Q::ChestPainAtRest),
            dizzy_or_fainted: flag(Q::DizzyOrFainted),
            other_chronic_condition: flag(Q::OtherChronicCondition),
            prescribed_medicines: flag(Q::PrescribedMedicines),
            bone_or_joint_problem: flag(Q::BoneOrJointProblem),
            supervised_only: flag(Q::SupervisedOnly),
            saddle_numbness_or_bladder: flag(Q::SaddleNumbnessOrBladder),
            both_legs: flag(Q::BothLegs),
            cannot_bear_weight: flag(Q::CannotBearWeight),
            fever_or_hot_joint: flag(Q::FeverOrHotJoint),
            calf_swelling_or_breathless: flag(Q::CalfSwellingOrBreathless),
            sudden_severe_pain: flag(Q::SuddenSeverePain),
            night_or_rest_pain: flag(Q::NightOrRestPain),
            weight_loss_or_cancer: flag(Q::WeightLossOrCancer),
            long_term_steroids: flag(Q::LongTermSteroids),
            groin_pain_on_loading: flag(Q::GroinPainOnLoading),
            runner: flag(Q::Runner),
            leg_weakness_or_numbness: flag(Q::LegWeaknessOrNumbness),
            recent_fracture: flag(Q::RecentFracture),
            inflammatory_signs: flag(Q::InflammatorySigns),
            pain_turning_inward: flag(Q::PainTurningInward),
            hip_surgery,
            pregnancy,
            lowest_measured_ir: None,
        })
    }
}

/// One finding, with the verdict it calls for and plain words for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// How serious this finding is on its own.
    pub verdict: Verdict,
    /// What we found and what to do, in plain words.
    pub text: String,
}

/// What a restriction blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Restricted {
    /// Any exercise with this movement feature.
    Movement(ContraindicationTag),
    /// Any exercise started in this position.
    Position(Position),
}

/// One restriction and the reason for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restriction {
    /// What it blocks.
    pub blocks: Restricted,
    /// Why, in words that complete "left out because ...".
    pub because: String,
}

/// The movement features and positions a plan must leave out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restrictions {
    items: Vec<Restriction>,
    gentle_range_only: bool,
}

impl Restrictions {
    fn block(&mut self, blocks: Restricted, because: &str) {
        if !self.items.iter().any(|r| r.blocks == blocks) {
            self.items.push(Restriction { blocks, because: because.to_owned() });
        }
    }

    /// Every restriction.
    pub fn items(&self) -> &[Restriction] {
        &self.items
    }

    /// Whether end-range work must stay gentle and never be progressed (pregnancy: laxer ligaments).
    pub fn gentle_range_only(&self) -> bool {
        self.gentle_range_only
    }

    /// The first restriction that rules this exercise out, if any.
    pub fn blocking(&self, exercise: &Exercise) -> Option<&Restriction> {
        self.items.iter().find(|r| match r.blocks {
            Restricted::Movement(tag) => exercise.contraindication_tags.contains(&tag),
            Restricted::Position(position) => exercise.position == position,
        })
    }

    /// Whether this movement feature is blocked.
    pub fn blocks_movement(&self, tag: ContraindicationTag) -> bool {
        self.items.iter().any(|r| r.blocks == Restricted::Movement(tag))
    }
}

/// The result of screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScreeningOutcome {
    screened_on: Day,
    verdict: Verdict,
    reasons: Vec<Reason>,
    restrictions: Restrictions,
}

impl ScreeningOutcome {
    /// Screening is repeated after this many days, or whenever something changes.
    pub const VALID_FOR_DAYS: u32 = 365;

    /// The line shown with every outcome.
    pub const DISCLAIMER: &'static str = "hipcoach gives exercise guidance, not medical advice. If you are unsure about anything here, please ask a doctor or physiotherapist.";

    /// The verdict: the most serious of the reasons, or clear to start when there are none.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Every finding, most serious first.
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// What the plan must leave out.
    pub fn restrictions(&self) -> &Restrictions {
        &self.restrictions
    }

    /// The day of screening.
    pub fn screened_on(&self) -> Day {
        self.screened_on
    }

    /// Whether a year has passed and the questions should be asked again.
    pub fn is_due_again(&self, today: Day) -> bool {
        today.days_since(self.screened_on) >= Self::VALID_FOR_DAYS
    }
}

struct Findings {
    reasons: Vec<Reason>,
    restrictions: Restrictions,
}

impl Findings {
    fn add(&mut self, verdict: Verdict, text: &str) {
        self.reasons.push(Reason { verdict, text: text.to_owned() });
    }
}

const WEEKS_AFTER_SURGERY: u32 = 12;

/// Screens the answers. Pure: the same answers always give the same outcome.
pub fn screen(answers: &Answers) -> ScreeningOutcome {
    use Verdict::{SeeClinicianFirst as Clinician, StartWithCautions as Caution, UrgentCare as Urgent};
    let mut f = Findings { reasons: Vec::new(), restrictions: Restrictions::default() };
    let a = answers;

    // Emergency and same-day care.
    if a.saddle_numbness_or_bladder || a.both_legs {
        f.add(Urgent, "Numbness between the legs, changes in bladder or bowel control, or symptoms in both legs can mean pressure on the nerves of the lower back. Please get medical help today; do not exercise until you have.");
    }
    if a.cannot_bear_weight {
        f.add(Urgent, "Not being able to put weight on the leg after a fall or injury can mean a broken bone. Please get it checked today.");
    }
    if a.fever_or_hot_joint {
        f.add(Urgent, "A fever, or a hot, swollen hip, can mean an infection in the joint. Please see a doctor today.");
    }
    if a.calf_swelling_or_breathless {
        f.add(Urgent, "A swollen, painful calf, new breathlessness or chest pain can be signs of a blood clot. Please get urgent medical help now.");
    }
    if a.sudden_severe_pain {
        f.add(Urgent, "Severe hip pain that came on suddenly needs a doctor's look today, before any exercise.");
    }

    // General pre-exercise screening, in the spirit of the PAR-Q+.
    if a.chest_pain && a.chest_pain_at_rest {
        f.add(Urgent, "Chest pain that comes on at rest needs a doctor today, before any exercise. If you have it now, call emergency services.");
    } else if a.chest_pain {
        f.add(Clinician, "Chest pain needs a doctor's check before you start a new exercise routine.");
    }
    if a.dizzy_or_fainted {
        f.add(Clinician, "Fainting or dizziness with loss of balance in the last year should be checked by a doctor before you start.");
    }
    if a.supervised_only {
        f.add(
            Clinician,
            "Your doctor asked you to exercise only under supervision; please show them this program first.",
        );
    }
    let general = [
        (a.heart_or_blood_pressure, "You mentioned a heart problem or high blood pressure."),
        (a.other_chronic_condition, "You mentioned another long-term condition."),
        (a.prescribed_medicines, "You take prescribed medicine for a long-term condition."),
        (a.bone_or_joint_problem, "You mentioned a bone, joint or soft-tissue problem."),
    ];
    for (answered_yes, what) in general {
        if answered_yes {
            f.add(Caution, &format!("{what} These gentle exercises are usually fine, but please complete the official PAR-Q+ form or check with your doctor, and stop if anything feels wrong."));
        }
    }

    // Hip red flags that need a clinician first.
    if a.night_or_rest_pain && a.weight_loss_or_cancer {
        f.add(Clinician, "Hip pain at night or at rest, together with weight loss or a history of cancer, should be checked by a doctor before you start.");
    } else if a.night_or_rest_pain && !a.fever_or_hot_joint {
        // With a fever the urgent advice stands alone: "keep exercising gently" would contradict it.
        f.add(Caution, "Your hip aches at night or at rest. Keep the exercises gentle, and see a doctor if this gets worse or does not ease.");
    } else if a.weight_loss_or_cancer {
        f.add(Caution, "You mentioned weight loss or a history of cancer. If hip pain starts to wake you at night, please see a doctor.");
    }
    if a.long_term_steroids && a.groin_pain_on_loading {
        f.add(Clinician, "Groin pain after long-term steroid use can come from the blood supply to the hip bone. Please have it checked before you start.");
    }
    if a.runner && (a.groin_pain_on_loading || a.night_or_rest_pain) {
        f.add(Clinician, "In a runner, groin pain on loading or at night can be a stress fracture of the hip. Please have it checked and rest from running until then.");
    }
    if a.leg_weakness_or_numbness {
        f.add(Clinician, "A leg that is getting weaker or more numb needs a clinician's check before you start.");
    }
    if a.recent_fracture {
        f.add(
            Clinician,
            "A broken bone in the hip, pelvis or thigh in the last 12 weeks needs your clinician's go-ahead first.",
        );
    }
    if a.inflammatory_signs {
        f.add(Clinician, "Long morning stiffness or several swollen joints can be an inflammatory arthritis, which is worth checking before you start.");
    }
    let older = matches!(a.age, AgeAnswer::Adult(AgeBand::From50To64 | AgeBand::From65));
    let very_limited = a.lowest_measured_ir.is_some_and(|ir| ir.get() < 15);
    if older && (a.pain_turning_inward || very_limited) {
        f.add(Clinician, "At 50 and over, pain or very little movement when the thigh turns inward can be an early sign of hip arthritis. A review with a doctor or physiotherapist first will tell you what suits your hip.");
    } else if a.pain_turning_inward {
        f.add(Caution, "Turning your thigh inward hurts. Work only in the pain-free part of the range; the program will step back if it hurts more.");
    }
    if a.age == AgeAnswer::Under18 {
        f.add(Clinician, "hipcoach is not for people under 18 yet: its program is made and checked for adults. If your hip hurts, especially with a limp, please see a doctor, because in young people it can come from the growth plate.");
    }

    match a.hip_surgery {
        HipSurgery::None => {}
        HipSurgery::Other { weeks_since_surgery } => {
            if weeks_since_surgery < WEEKS_AFTER_SURGERY {
                f.add(Clinician, "Your hip operation was less than 12 weeks ago. Please follow your surgeon's or physiotherapist's program until they clear you for this one.");
            } else {
                f.add(Caution, "You have had hip surgery. If anything feels different from usual, check with your surgeon or physiotherapist.");
            }
        }
        HipSurgery::Replacement(replacement) => replacement_rules(&mut f, &replacement),
    }

    if let Some(pregnancy) = a.pregnancy {
        pregnancy_rules(&mut f, pregnancy);
    }

    f.reasons.sort_by_key(|reason| std::cmp::Reverse(reason.verdict));
    let verdict = f.reasons.first().map_or(Verdict::ClearToStart, |r| r.verdict);
    ScreeningOutcome { screened_on: a.day, verdict, reasons: f.reasons, restrictions: f.restrictions }
}

fn replacement_rules(f: &mut Findings, r: &HipReplacement) {
    use ContraindicationTag as Tag;
    let what = if r.resurfacing { "resurfaced" } else { "replaced" };
    if r.looks_shortened_or_turned {
        f.add(Verdict::UrgentCare, &format!("A {what} hip that suddenly looks shorter or turned may have come out of its socket. Please get urgent medical help now and do not move it more than you must."));
    }
    let early = r.weeks_since_surgery < WEEKS_AFTER_SURGERY;
    if early && !r.surgeon_cleared {
        f.add(Verdict::SeeClinicianFirst, &format!("Your {what} hip was operated on less than 12 weeks ago. Please follow your surgeon's or physiotherapist's program until they clear you for this one."));
    }
    let posterior_rules = early
        || matches!(
            r.approach,
            ReplacementApproach::Posterior | ReplacementApproach::Lateral | ReplacementApproach::Unknown
        );
    let because_posterior = format!(
        "your {what} hip must not turn inward, cross the other leg or bend past a right angle until your surgeon says so"
    );
    if early || !r.surgeon_cleared {
        if posterior_rules {
            for tag in [Tag::InternalRotation, Tag::CrossedLegs, Tag::DeepFlexion] {
                f.restrictions.block(Restricted::Movement(tag), &because_posterior);
            }
        }
        if r.approach == ReplacementApproach::Anterior {
            f.restrictions.block(
                Restricted::Movement(Tag::ExtensionWithExternalRotation),
                &format!("your {what} hip should not stretch backward while turned outward until your surgeon says so"),
            );
        }
    }
    let text = match (early, r.surgeon_cleared) {
        (true, true) => format!(
            "Your surgeon has cleared you, but your {what} hip was operated on less than 12 weeks ago, so for now the plan leaves out turning it inward, crossing the legs and deep bending."
        ),
        (false, true) => format!(
            "Your surgeon has cleared you for this program. Your {what} hip still deserves care: stop if anything feels unstable or clunks."
        ),
        (_, false) => match r.approach {
            ReplacementApproach::Anterior if !early => format!(
                "After a front-approach operation the plan leaves out stretching the {what} hip backward while turned outward, until your surgeon clears it."
            ),
            _ => format!(
                "Until your surgeon confirms it is safe, the plan leaves out every exercise that turns a hip inward, crosses the legs or bends the hip past a right angle: sitting with the hip bent and turned inward is the classic way a {what} hip dislocates."
            ),
        },
    };
    f.add(Verdict::StartWithCautions, &text);
}

fn pregnancy_rules(f: &mut Findings, p: Pregnancy) {
    if !p.carer_ok {
        f.add(
            Verdict::SeeClinicianFirst,
            "Please ask your midwife or doctor whether these exercises suit your pregnancy before you start.",
        );
    }
    f.restrictions.gentle_range_only = true;
    f.add(Verdict::StartWithCautions, "In pregnancy the ligaments are looser, so keep every movement gentle and never force the end of the range. Stop and contact your maternity team if you notice bleeding, dizziness, breathlessness before you start, headache, chest pain, weakness that upsets your balance, calf pain or swelling, fluid leaking, contractions, or the baby moving less.");
    if p.trimester > Trimester::First {
        let because = "after the first trimester, exercises lying on the back or face down are best avoided";
        for position in [Position::LyingOnBack, Position::LyingFaceDown] {
            f.restrictions.block(Restricted::Position(position), because);
        }
        for tag in [ContraindicationTag::LyingOnBack, ContraindicationTag::LyingFaceDown] {
            f.restrictions.block(Restricted::Movement(tag), because);
        }
    }
}
