//! `hipcoach screening`: the safety questions, asked in the terminal or read from a file.
//!
//! Follow-up questions appear only when they apply (the surgical approach after a hip
//! replacement, the trimester in pregnancy). A bad answer is asked again with the reason; the
//! answers are stored only once every question is answered, so stopping half-way (end of input)
//! saves nothing and changes nothing.

use crate::cli::{ScreeningArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::{Context, bail};
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::{
    Answers, Question, QuestionId, QuestionKind, Response, ScreeningOutcome, Verdict, questions,
};
use hipcoach_workflows::calendar;
use hipcoach_workflows::screening::{applies, parse_answer, record_screening};
use hipcoach_workflows::wording::verdict_words;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::process::ExitCode;

pub fn run(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: ScreeningArgs) -> anyhow::Result<ExitCode> {
    if args.questions {
        super::print_json(&questions())?;
        return Ok(ExitCode::SUCCESS);
    }
    let responses = match &args.answers {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str::<BTreeMap<QuestionId, Response>>(&text).with_context(|| {
                format!(
                    "{} is not a set of screening answers: write a JSON object from question id to true/false, a choice id or a number (see `hipcoach screening --questions`)",
                    path.display()
                )
            })?
        }
        None => ask_all(&mut std::io::stdin().lock(), &mut std::io::stdout())?,
    };
    let answers = Answers::from_responses(calendar::day_of(today), &responses).map_err(|problems| {
        let lines: Vec<String> =
            problems.iter().map(|p| format!("  - {p} (answer id: {})", p.question().as_str())).collect();
        let count = if problems.len() == 1 {
            "one answer needs".to_owned()
        } else {
            format!("{} answers need", problems.len())
        };
        anyhow::anyhow!("nothing was saved; {count} attention:\n{}", lines.join("\n"))
    })?;
    block_on(async {
        let store = open(storage, catalog).await?;
        let user = local_user(&store, storage).await?;
        let outcome = record_screening(&store, user.id, today, responses, answers).await?;
        super::emit(&report(&outcome))?;
        Ok(ExitCode::SUCCESS)
    })
}

/// The verdict, every reason, the restrictions and the disclaimer.
fn report(outcome: &ScreeningOutcome) -> String {
    let mut text = format!("Screening: {}.\n", verdict_words(outcome.verdict()));
    for reason in outcome.reasons() {
        text.push_str(&format!("  - {}\n", reason.text));
    }
    let mut said = std::collections::BTreeSet::new();
    for restriction in outcome.restrictions().items() {
        if said.insert(&restriction.because) {
            text.push_str(&format!("  Left out of your plan: {}\n", restriction.because));
        }
    }
    match outcome.verdict() {
        Verdict::UrgentCare | Verdict::SeeClinicianFirst => {
            text.push_str("No plan will be made until this is sorted out; answer again with `hipcoach screening` once you have been checked.\n")
        }
        Verdict::ClearToStart | Verdict::StartWithCautions => {
            text.push_str("Next: `hipcoach profile set ...`, then `hipcoach plan`.\n")
        }
    }
    text.push_str(&format!("\n{}\n", ScreeningOutcome::DISCLAIMER));
    text
}

/// Asks every question that applies, in order.
fn ask_all(input: &mut impl BufRead, output: &mut impl Write) -> anyhow::Result<BTreeMap<QuestionId, Response>> {
    writeln!(
        output,
        "A few safety questions before you start (our own wording; the official PAR-Q+ form is at eparmedx.com).\n\
         Answer y or n, a number from the list, or a number; nothing is saved until the end.\n"
    )?;
    let mut responses = BTreeMap::new();
    for question in questions() {
        if !applies(&question, &responses) {
            continue;
        }
        let response = ask(&question, input, output)?;
        responses.insert(question.id, response);
    }
    Ok(responses)
}

fn ask(question: &Question, input: &mut impl BufRead, output: &mut impl Write) -> anyhow::Result<Response> {
    writeln!(output, "{}", question.text)?;
    if let Some(help) = &question.help {
        writeln!(output, "  ({help})")?;
    }
    if let QuestionKind::Choice { choices } = &question.kind {
        for (number, choice) in choices.iter().enumerate() {
            writeln!(output, "  {}. {}", number + 1, choice.label)?;
        }
    }
    loop {
        let prompt = match &question.kind {
            QuestionKind::YesNo => "[y/n]".to_owned(),
            QuestionKind::Choice { choices } => format!("[1-{}]", choices.len()),
            QuestionKind::Number { min, max, unit } => format!("[{min}-{max} {unit}]"),
        };
        write!(output, "{prompt} > ")?;
        output.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            bail!("the answers ended before the last question; nothing was saved");
        }
        match parse_answer(&question.kind, line.trim()) {
            Ok(response) => return Ok(response),
            Err(reason) => writeln!(output, "{reason}")?,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_are_asked_only_when_they_apply() {
        // A "no" to everything, age 18-49, no surgery: the surgery and pregnancy follow-ups are skipped.
        let mut lines = String::new();
        for question in questions() {
            if question.shown_if.is_some() {
                continue;
            }
            lines.push_str(match question.kind {
                QuestionKind::YesNo => "n\n",
                _ => "x\n1\n",
            });
        }
        let mut output = Vec::new();
        let responses = ask_all(&mut lines.as_bytes(), &mut output).unwrap();
        assert!(!responses.contains_key(&QuestionId::Trimester));
        assert!(!responses.contains_key(&QuestionId::ReplacementApproach));
        assert_eq!(responses.get(&QuestionId::AgeBand), Some(&Response::Choice("under-18".into())));
        assert!(String::from_utf8(output).unwrap().contains("is not one of the options"));
    }
}
