//! The screening questions, as data a web form or the CLI can render.
//!
//! The general questions follow the spirit of pre-exercise screening such as the PAR-Q+, in our
//! own words: the PAR-Q+ text is copyrighted, so it is never reproduced here; we only point
//! people to the official form by name. The hip questions come from the red flags in
//! clinical.md. Follow-up questions carry a `shown_if` condition so a form asks them only when
//! they apply (the surgical approach only after a hip replacement, the trimester only in
//! pregnancy).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! question_ids {
    ($($(#[$doc:meta])* $variant:ident => $id:literal),+ $(,)?) => {
        /// A stable question identifier; answers are keyed by it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "kebab-case")]
        pub enum QuestionId {
            $($(#[$doc])* $variant),+
        }

        impl QuestionId {
            /// Every question id, in the order the form asks them.
            pub const ALL: &'static [QuestionId] = &[$(QuestionId::$variant),+];

            /// The id as it appears in forms and JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(QuestionId::$variant => $id),+
                }
            }
        }
    };
}

question_ids!(
    /// Age band; under 18 is not supported.
    AgeBand => "age-band",
    /// Heart condition or high blood pressure.
    HeartOrBloodPressure => "heart-or-blood-pressure",
    /// Chest pain at rest, in daily life or when active.
    ChestPain => "chest-pain",
    /// Whether that chest pain comes at rest (same-day care).
    ChestPainAtRest => "chest-pain-at-rest",
    /// Dizziness with loss of balance, or fainting, in the last year.
    DizzyOrFainted => "dizzy-or-fainted",
    /// Another long-term medical condition.
    OtherChronicCondition => "other-chronic-condition",
    /// Prescribed medicines for a long-term condition.
    PrescribedMedicines => "prescribed-medicines",
    /// A bone, joint or soft-tissue problem that activity could worsen.
    BoneOrJointProblem => "bone-or-joint-problem",
    /// A doctor said to exercise only under supervision.
    SupervisedOnly => "supervised-only",
    /// Numbness around the saddle area or new bladder or bowel changes.
    SaddleNumbnessOrBladder => "saddle-numbness-or-bladder",
    /// New symptoms in both legs.
    BothLegs => "both-legs",
    /// A fall or injury and now unable to bear weight.
    CannotBearWeight => "cannot-bear-weight",
    /// Fever, or a hot, swollen hip.
    FeverOrHotJoint => "fever-or-hot-joint",
    /// A swollen painful calf, breathlessness or chest pain (possible clot).
    CalfSwellingOrBreathless => "calf-swelling-or-breathless",
    /// Severe hip pain that started suddenly.
    SuddenSeverePain => "sudden-severe-pain",
    /// Hip pain at night or at rest.
    NightOrRestPain => "night-or-rest-pain",
    /// Unexplained weight loss or a history of cancer.
    WeightLossOrCancer => "weight-loss-or-cancer",
    /// Long-term steroid tablets.
    LongTermSteroids => "long-term-steroids",
    /// Groin pain when loading the leg.
    GroinPainOnLoading => "groin-pain-on-loading",
    /// Runs regularly.
    Runner => "runner",
    /// A leg getting weaker or more numb over time.
    LegWeaknessOrNumbness => "leg-weakness-or-numbness",
    /// A broken bone in the hip, pelvis or thigh in the last 12 weeks.
    RecentFracture => "recent-fracture",
    /// Signs of inflammatory arthritis.
    InflammatorySigns => "inflammatory-signs",
    /// Pain when the thigh turns inward.
    PainTurningInward => "pain-turning-inward",
    /// Hip surgery: none, replacement, resurfacing or other.
    HipSurgery => "hip-surgery",
    /// The surgical approach of a replacement or resurfacing.
    ReplacementApproach => "replacement-approach",
    /// Weeks since the hip surgery.
    WeeksSinceSurgery => "weeks-since-surgery",
    /// The surgeon cleared inward turning and deep bending.
    SurgeonCleared => "surgeon-cleared",
    /// The replaced hip suddenly looks shortened or turned.
    ReplacedHipLooksDifferent => "replaced-hip-looks-different",
    /// Pregnant now.
    Pregnant => "pregnant",
    /// Which trimester.
    Trimester => "trimester",
    /// The maternity carer said exercise is fine.
    CarerOk => "carer-ok",
);

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    /// Stable value sent back in the answer.
    pub id: String,
    /// What the user reads.
    pub label: String,
}

/// How a question is answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Yes or no.
    YesNo,
    /// One of a fixed list.
    Choice {
        /// The options, in display order.
        choices: Vec<Choice>,
    },
    /// A whole number within bounds.
    Number {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
        /// Unit shown after the box, e.g. "weeks".
        unit: String,
    },
}

/// When a follow-up question applies: the earlier question got one of these answers
/// (`"yes"` for a yes/no question, a choice id for a choice question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShownIf {
    /// The earlier question.
    pub question: QuestionId,
    /// Answers that make this question apply.
    pub any_of: Vec<String>,
}

/// One screening question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable id.
    pub id: QuestionId,
    /// The question, in plain words.
    pub text: String,
    /// An optional line of help under the question.
    pub help: Option<String>,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Asked only when this holds.
    pub shown_if: Option<ShownIf>,
}

fn yes_no(id: QuestionId, text: &str) -> Question {
    Question { id, text: text.to_owned(), help: None, kind: QuestionKind::YesNo, shown_if: None }
}

fn choices(id: QuestionId, text: &str, options: &[(&str, &str)]) -> Question {
    let choices =
        options.iter().map(|(id, label)| Choice { id: (*id).to_owned(), label: (*label).to_owned() }).collect();
    Question { id, text: text.to_owned(), help: None, kind: QuestionKind::Choice { choices }, shown_if: None }
}

fn when(mut question: Question, earlier: QuestionId, any_of: &[&str]) -> Question {
    question.shown_if = Some(ShownIf { question: earlier, any_of: any_of.iter().map(|s| (*s).to_owned()).collect() });
    question
}

fn with_help(mut question: Question, help: &str) -> Question {
    question.help = Some(help.to_owned());
    question
}

/// Choice ids of the age-band question.
pub(crate) mod age {
    pub const UNDER_18: &str = "under-18";
    pub const FROM_18_TO_49: &str = "18-49";
    pub const FROM_50_TO_64: &str = "50-64";
    pub const FROM_65: &str = "65-plus";
}

/// Choice ids of the hip-surgery question.
pub(crate) mod surgery {
    pub const NONE: &str = "none";
    pub const REPLACEMENT: &str = "replacement";
    pub const RESURFACING: &str = "resurfacing";
    pub const OTHER: &str = "other";
}

/// Choice ids of the approach question.
pub(crate) mod approach {
    pub const POSTERIOR: &str = "posterior";
    pub const ANTERIOR: &str = "anterior";
    pub const LATERAL: &str = "lateral";
    pub const UNKNOWN: &str = "unknown";
}

/// Choice ids of the trimester question.
pub(crate) mod trimester {
    pub const FIRST: &str = "first";
    pub const SECOND: &str = "second";
    pub const THIRD: &str = "third";
}

/// Every screening question, in the order a form asks them.
pub fn questions() -> Vec<Question> {
    use QuestionId as Q;
    let replaced = [surgery::REPLACEMENT, surgery::RESURFACING];
    vec![
        choices(
            Q::AgeBand,
            "How old are you?",
            &[
                (age::UNDER_18, "Under 18"),
                (age::FROM_18_TO_49, "18 to 49"),
                (age::FROM_50_TO_64, "50 to 64"),
                (age::FROM_65, "65 or older"),
            ],
        ),
        yes_no(Q::HeartOrBloodPressure, "Has a doctor ever said you have a heart problem or high blood pressure?"),
        yes_no(Q::ChestPain, "Do you get pain in your chest, whether resting, going about your day or being active?"),
        when(
            yes_no(
                Q::ChestPainAtRest,
                "Does the chest pain come on when you are resting, not only when you are active?",
            ),
            Q::ChestPain,
            &["yes"],
        ),
        yes_no(Q::DizzyOrFainted, "In the past year, have you fainted, or been so dizzy that you lost your balance?"),
        yes_no(Q::OtherChronicCondition, "Do you live with any other long-term medical condition?"),
        yes_no(Q::PrescribedMedicines, "Do you take prescribed medicine for a long-term condition?"),
        yes_no(
            Q::BoneOrJointProblem,
            "Do you have a problem with a bone, joint, muscle or tendon that more activity could make worse?",
        ),
        yes_no(Q::SupervisedOnly, "Has a doctor told you to exercise only with medical supervision?"),
        yes_no(
            Q::SaddleNumbnessOrBladder,
            "Is there new numbness between your legs or around your bottom, or a new change in how your bladder or bowels work?",
        ),
        yes_no(Q::BothLegs, "Do you have new pain, numbness or weakness in both legs at once?"),
        yes_no(
            Q::CannotBearWeight,
            "Have you had a fall or injury, and since then been unable to put weight on the leg?",
        ),
        yes_no(Q::FeverOrHotJoint, "Do you have a fever, or is the hip hot, red or swollen?"),
        yes_no(
            Q::CalfSwellingOrBreathless,
            "Is one calf swollen, warm or painful, or are you newly short of breath or having chest pain?",
        ),
        yes_no(Q::SuddenSeverePain, "Did severe hip pain come on suddenly in the last few days?"),
        yes_no(Q::NightOrRestPain, "Does your hip ache at night or when you are resting?"),
        yes_no(Q::WeightLossOrCancer, "Have you lost weight without trying, or ever had cancer?"),
        with_help(
            yes_no(Q::LongTermSteroids, "Have you taken steroid tablets for months at a time?"),
            "For example prednisolone; inhalers and creams do not count.",
        ),
        yes_no(
            Q::GroinPainOnLoading,
            "Does your groin hurt when you put weight through the leg, for example walking, running or hopping?",
        ),
        yes_no(Q::Runner, "Do you run regularly, or have you recently run a lot more than usual?"),
        yes_no(
            Q::LegWeaknessOrNumbness,
            "Over the past weeks, has one leg been getting weaker, more numb or more tingly?",
        ),
        yes_no(Q::RecentFracture, "Have you broken a bone in your hip, pelvis or thigh in the last 12 weeks?"),
        yes_no(
            Q::InflammatorySigns,
            "Are your joints stiff for over an hour each morning, or are several joints swollen?",
        ),
        yes_no(Q::PainTurningInward, "Does it hurt in the hip or groin when you turn your thigh inward?"),
        choices(
            Q::HipSurgery,
            "Have you had an operation on either hip?",
            &[
                (surgery::NONE, "No"),
                (surgery::REPLACEMENT, "Yes, a hip replacement"),
                (surgery::RESURFACING, "Yes, a hip resurfacing"),
                (surgery::OTHER, "Yes, another hip operation (for example keyhole surgery)"),
            ],
        ),
        when(
            choices(
                Q::ReplacementApproach,
                "Which way did the surgeon go in?",
                &[
                    (approach::POSTERIOR, "From the back (posterior)"),
                    (approach::ANTERIOR, "From the front (anterior)"),
                    (approach::LATERAL, "From the side (lateral)"),
                    (approach::UNKNOWN, "I don't know"),
                ],
            ),
            Q::HipSurgery,
            &replaced,
        ),
        when(
            Question {
                id: Q::WeeksSinceSurgery,
                text: "How many weeks ago was the operation?".to_owned(),
                help: None,
                kind: QuestionKind::Number { min: 0, max: 5200, unit: "weeks".to_owned() },
                shown_if: None,
            },
            Q::HipSurgery,
            &[surgery::REPLACEMENT, surgery::RESURFACING, surgery::OTHER],
        ),
        when(
            yes_no(
                Q::SurgeonCleared,
                "Has your surgeon or physiotherapist said it is now fine to turn that hip inward and bend it past a right angle?",
            ),
            Q::HipSurgery,
            &replaced,
        ),
        when(
            yes_no(
                Q::ReplacedHipLooksDifferent,
                "Does the replaced leg suddenly look shorter, or turned in or out, compared with before?",
            ),
            Q::HipSurgery,
            &replaced,
        ),
        yes_no(Q::Pregnant, "Are you pregnant?"),
        when(
            choices(
                Q::Trimester,
                "How far along are you?",
                &[
                    (trimester::FIRST, "First trimester (up to 13 weeks)"),
                    (trimester::SECOND, "Second trimester (14 to 27 weeks)"),
                    (trimester::THIRD, "Third trimester (28 weeks on)"),
                ],
            ),
            Q::Pregnant,
            &["yes"],
        ),
        when(
            yes_no(Q::CarerOk, "Has your midwife or doctor said this kind of exercise is fine for you?"),
            Q::Pregnant,
            &["yes"],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_question_id_is_asked_exactly_once_and_in_order() {
        let asked: Vec<QuestionId> = questions().iter().map(|q| q.id).collect();
        assert_eq!(asked, QuestionId::ALL);
    }

    #[test]
    fn follow_ups_depend_only_on_earlier_questions_and_real_answers() {
        let all = questions();
        for (index, question) in all.iter().enumerate() {
            let Some(shown_if) = &question.shown_if else { continue };
            let earlier = all[..index].iter().find(|q| q.id == shown_if.question).expect("asked earlier");
            let valid: BTreeSet<String> = match &earlier.kind {
                QuestionKind::YesNo => ["yes".to_owned(), "no".to_owned()].into(),
                QuestionKind::Choice { choices } => choices.iter().map(|c| c.id.clone()).collect(),
                QuestionKind::Number { .. } => BTreeSet::new(),
            };
            assert!(shown_if.any_of.iter().all(|a| valid.contains(a)), "{}", question.id);
        }
    }

    #[test]
    fn ids_serialise_as_their_kebab_case_text() {
        for id in QuestionId::ALL {
            assert_eq!(serde_json::to_string(id).unwrap(), format!("\"{}\"", id.as_str()));
        }
    }

    #[test]
    fn no_question_quotes_the_par_q_plus() {
        // Our own wording only; the official form is named, never copied.
        for question in questions() {
            assert!(!question.text.contains("PAR-Q"), "{}", question.id);
        }
    }
}
