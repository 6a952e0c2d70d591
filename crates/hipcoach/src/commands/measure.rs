//! `hipcoach measure add | list | trend | protocol`: hip internal rotation over time.
//!
//! A result is the median of three trials, kept with its method's ± and never shown more
//! precisely than whole degrees. Seated and prone are different tests and are never compared;
//! a change (or a side-to-side difference) is called real only when it beats the minimal
//! detectable change of the noisier method involved.

use super::emit;
use crate::cli::{MeasureAddArgs, MeasureCommand, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::anyhow;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::{IrClass, Method, Protocol};
use hipcoach_store::Measurement;
use hipcoach_workflows::WorkflowError;
use hipcoach_workflows::measuring::{self, NewMeasurement, reading_of, trend_text};
use hipcoach_workflows::wording::capitalised;
use std::process::ExitCode;

pub fn run(
    storage: &StorageArgs,
    catalog: Catalog,
    today: NaiveDate,
    command: MeasureCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        MeasureCommand::Protocol { position } => {
            let position = measuring::position_of(&position).map_err(|e| anyhow!("position: {e}"))?;
            emit(&protocol_text(&Protocol::for_position(position)))?;
            Ok(ExitCode::SUCCESS)
        }
        MeasureCommand::Add(args) => {
            let entry = parse_add(&args)?;
            let note = measuring::trial_spread_note(&entry);
            block_on(async {
                let store = open(storage, catalog).await?;
                let user = local_user(&store, storage).await?;
                let (_, measurement) =
                    measuring::record_measurement(&store, user.id, today, entry).await.map_err(|e| match e {
                        WorkflowError::Invalid { reason, .. } => anyhow!("--trials: {reason}, e.g. --trials 34,36,35"),
                        other => other.into(),
                    })?;
                let reading = reading_of(&measurement);
                println!("Saved: {reading} — {}.", IrClass::of(reading.angle()));
                if let Some(note) = note {
                    println!("Note: {note}.");
                }
                Ok(ExitCode::SUCCESS)
            })
        }
        MeasureCommand::List => block_on(async {
            let store = open(storage, catalog).await?;
            let user = local_user(&store, storage).await?;
            let measurements = store.measurements(user.id).await?;
            if measurements.is_empty() {
                println!("No measurements yet. See how with `hipcoach measure protocol seated`.");
            } else {
                emit(&listing(&measurements))?;
            }
            Ok(ExitCode::SUCCESS)
        }),
        MeasureCommand::Trend => block_on(async {
            let store = open(storage, catalog).await?;
            let user = local_user(&store, storage).await?;
            emit(&trend_text(&store.measurements(user.id).await?))?;
            Ok(ExitCode::SUCCESS)
        }),
    }
}

/// Checks every flag; the three trials become the stored median when recorded.
fn parse_add(args: &MeasureAddArgs) -> anyhow::Result<NewMeasurement> {
    let flag = |name: &'static str| move |e: String| anyhow!("--{name}: {e}");
    let trials = args
        .trials
        .split(',')
        .map(|t| measuring::trial_of(t).map_err(flag("trials")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(NewMeasurement {
        side: measuring::side_of(&args.side).map_err(flag("side"))?,
        position: measuring::position_of(&args.position).map_err(flag("position"))?,
        method: measuring::method_of(&args.method).map_err(flag("method"))?,
        rater: measuring::rater_of(&args.rater).map_err(flag("rater"))?,
        measured_by: measuring::measured_by_of(args.by.as_deref()).map_err(flag("by"))?,
        trials,
        hard_end_feel: args.hard_end_feel,
    })
}

/// One reading a line — date, hip, test and the reading with its ± — and how it was taken on a
/// second, wrapped to the terminal (80 columns when piped): a seven-column table broke words.
fn listing(measurements: &[Measurement]) -> String {
    let mut out = String::new();
    for m in measurements {
        let reading = reading_of(m);
        let estimate = if m.method == Method::CameraEstimate { " (estimate)" } else { "" };
        let (side, test) = (m.side.to_string(), m.position.to_string());
        out.push_str(&format!("{}  {side:<5}  {test:<6}  {}{estimate}\n", m.day, reading.range));
        let how = format!(
            "{} · {} · measured by {}{}",
            m.method,
            IrClass::of(reading.angle()),
            m.measured_by_words(),
            if m.hard_end_feel { " · hard, blocked end" } else { "" }
        );
        let options = textwrap::Options::new(super::text_width()).initial_indent("    ").subsequent_indent("    ");
        out.push_str(&format!("{}\n", textwrap::fill(&how, options)));
    }
    out
}

fn protocol_text(protocol: &Protocol) -> String {
    let mut text = format!("{}\n\nSet-up:\n", capitalised(protocol.name));
    for (i, step) in protocol.setup.iter().enumerate() {
        text.push_str(&format!("  {}. {step}\n", i + 1));
    }
    text.push_str(&format!("\nMovement:\n  {}\n\nA trial does not count if:\n", protocol.movement));
    for invalidator in protocol.invalidators {
        text.push_str(&format!("  - {}\n", invalidator.description()));
    }
    text.push_str(&format!(
        "\nDo {} trials per side; the median is kept. Typical adults reach about {}; {}–{} is the usual range.\n\
         Record it: hipcoach measure add --side left --position {} --method goniometer --trials 34,36,35\n",
        protocol.trials_per_side,
        protocol.normal.typical_mean,
        protocol.normal.reference_low,
        protocol.normal.reference_high,
        protocol.position
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(trials: &str) -> MeasureAddArgs {
        MeasureAddArgs {
            side: "left".into(),
            position: "seated".into(),
            method: "goniometer".into(),
            trials: trials.into(),
            rater: "same".into(),
            by: None,
            hard_end_feel: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    }

    #[test]
    fn three_trials_become_their_median_with_the_methods_uncertainty() {
        let m = parse_add(&add("34,36.4,35")).unwrap().into_measurement(today()).unwrap();
        assert_eq!((m.degrees, m.uncertainty), (35.0, 6.0));
        assert!(parse_add(&add("34,36")).unwrap().into_measurement(today()).unwrap_err().contains("take 3"));
        assert!(parse_add(&add("34,abc,35")).unwrap_err().to_string().contains("“abc” is not a number"));
    }

    #[test]
    fn readings_are_shown_in_whole_degrees_with_their_uncertainty() {
        let m = parse_add(&add("34.4,34.6,34.2")).unwrap().into_measurement(today()).unwrap();
        assert_eq!(reading_of(&m).range.to_string(), "34° ±6°");
    }
}
