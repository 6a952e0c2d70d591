//! `hipcoach measure add | list | trend | protocol`: hip internal rotation over time.
//!
//! A result is the median of three trials, kept with its method's ± and never shown more
//! precisely than whole degrees. Seated and prone are different tests and are never compared;
//! a change (or a side-to-side difference) is called real only when it beats the minimal
//! detectable change of the noisier method involved.

use super::emit;
use crate::cli::{MeasureAddArgs, MeasureCommand, StorageArgs};
use crate::measuring::{self, NewMeasurement, reading_of};
use crate::storage::{block_on, local_user, open};
use anyhow::anyhow;
use chrono::NaiveDate;
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::{Asymmetry, Change, IrClass, Method, Protocol, Trend};
use hipcoach_store::Measurement;
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
            let measurement = parse_add(&args, today)?;
            block_on(async {
                let store = open(storage, catalog).await?;
                let user = local_user(&store, storage).await?;
                store.add_measurement(user.id, &measurement).await?;
                let reading = reading_of(&measurement);
                println!("Saved: {reading} — {}.", IrClass::of(reading.angle()));
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
                emit(&format!("{}\n", table(&measurements)))?;
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

/// Checks every flag and turns three trials into the stored median.
fn parse_add(args: &MeasureAddArgs, today: NaiveDate) -> anyhow::Result<Measurement> {
    let flag = |name: &'static str| move |e: String| anyhow!("--{name}: {e}");
    let trials = args
        .trials
        .split(',')
        .map(|t| measuring::trial_of(t).map_err(flag("trials")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let entry = NewMeasurement {
        side: measuring::side_of(&args.side).map_err(flag("side"))?,
        position: measuring::position_of(&args.position).map_err(flag("position"))?,
        method: measuring::method_of(&args.method).map_err(flag("method"))?,
        rater: measuring::rater_of(&args.rater).map_err(flag("rater"))?,
        measured_by: measuring::measured_by_of(args.by.as_deref()).map_err(flag("by"))?,
        trials,
    };
    entry.into_measurement(today).map_err(|e| anyhow!("--trials: {e}, e.g. --trials 34,36,35"))
}

fn table(measurements: &[Measurement]) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_HORIZONTAL_ONLY).set_header(["date", "side", "test", "IR", "method", "band", "measured by"]);
    for m in measurements {
        let reading = reading_of(m);
        let estimate = if m.method == Method::CameraEstimate { " (estimate)" } else { "" };
        table.add_row([
            m.day.to_string(),
            m.side.to_string(),
            m.position.to_string(),
            format!("{}{estimate}", reading.range),
            m.method.to_string(),
            IrClass::of(reading.angle()).to_string(),
            m.measured_by.clone().unwrap_or_else(|| "you".to_owned()),
        ]);
    }
    table
}

/// Per test: per side first → latest, slope, real change or not; then the latest asymmetry.
pub fn trend_text(measurements: &[Measurement]) -> String {
    if measurements.is_empty() {
        return "No measurements yet: add one with `hipcoach measure add ...`.\n".to_owned();
    }
    let mut text = String::new();
    for progress in measuring::progress(measurements) {
        text.push_str(&format!("{} test\n", crate::words::capitalised(&progress.position.to_string())));
        for side in &progress.sides {
            match (&side.trend, &side.no_trend) {
                (Some(trend), _) => text.push_str(&format!("  {}\n", trend_line(trend))),
                (None, Some(why)) => text.push_str(&format!("  {}: {why}\n", side.side)),
                (None, None) => {}
            }
        }
        if let Some(asymmetry) = &progress.asymmetry {
            text.push_str(&format!("  {}\n", asymmetry_line(asymmetry)));
        }
    }
    text
}

fn trend_line(trend: &Trend) -> String {
    let slope = trend
        .slope_per_week
        .map_or_else(|| "no slope yet (all on one day)".to_owned(), |s| format!("{:+.0}° a week", s));
    let verdict = match trend.change {
        Change::Improved => {
            format!("a real improvement (more than the {} the method can tell apart)", trend.mdc)
        }
        Change::Worse => format!("a real loss (more than the {} the method can tell apart)", trend.mdc),
        Change::NoRealChange => format!("no real change yet (within the {} measurement noise)", trend.mdc),
    };
    format!("{}: {} → {} over {} readings, {slope}; {verdict}.", trend.side, trend.first, trend.latest, trend.readings)
}

fn asymmetry_line(asymmetry: &Asymmetry) -> String {
    let difference = asymmetry.difference.abs();
    match asymmetry.stiffer {
        Some(side) => format!(
            "Sides: the {side} hip turns {difference} less; more than 10° and beyond the {} noise, so it is a real difference.",
            asymmetry.mdc
        ),
        None => format!(
            "Sides: {difference} apart, which counts as equal (a real difference needs over 10° and over {}).",
            asymmetry.mdc
        ),
    }
}

fn protocol_text(protocol: &Protocol) -> String {
    let mut text = format!("{}\n\nSet-up:\n", crate::words::capitalised(protocol.name));
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
        }
    }

    #[test]
    fn three_trials_become_their_median_with_the_methods_uncertainty() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let m = parse_add(&add("34,36.4,35"), today).unwrap();
        assert_eq!((m.degrees, m.uncertainty), (35.0, 6.0));
        assert!(parse_add(&add("34,36"), today).unwrap_err().to_string().contains("take 3"));
        assert!(parse_add(&add("34,abc,35"), today).unwrap_err().to_string().contains("`abc` is not a number"));
    }

    #[test]
    fn readings_are_shown_in_whole_degrees_with_their_uncertainty() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let m = parse_add(&add("34.4,34.6,34.2"), today).unwrap();
        assert_eq!(reading_of(&m).range.to_string(), "34° ±6°");
    }
}
