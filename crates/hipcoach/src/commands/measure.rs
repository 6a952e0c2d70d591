//! `hipcoach measure add | list | trend | protocol`: hip internal rotation over time.
//!
//! A result is the median of three trials, kept with its method's ± and never shown more
//! precisely than whole degrees. Seated and prone are different tests and are never compared;
//! a change (or a side-to-side difference) is called real only when it beats the minimal
//! detectable change of the noisier method involved.

use super::emit;
use crate::cli::{MeasureAddArgs, MeasureCommand, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use comfy_table::{Table, presets::UTF8_HORIZONTAL_ONLY};
use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::{
    Asymmetry, Change, DatedReading, Degrees, IrClass, Method, Protocol, RangeOfMotion, Rater, Reading, TestPosition,
    Trend,
};
use hipcoach_core::units::Side;
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
            emit(&protocol_text(&Protocol::for_position(position_of(&position)?)))?;
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

fn side_of(text: &str) -> anyhow::Result<Side> {
    match text.trim().to_lowercase().as_str() {
        "left" | "l" => Ok(Side::Left),
        "right" | "r" => Ok(Side::Right),
        _ => bail!("--side: `{text}` is not one of: left, right"),
    }
}

fn position_of(text: &str) -> anyhow::Result<TestPosition> {
    match text.trim().to_lowercase().as_str() {
        "seated" => Ok(TestPosition::Seated),
        "prone" => Ok(TestPosition::Prone),
        _ => bail!("position: `{text}` is not one of: seated, prone"),
    }
}

fn method_of(text: &str) -> anyhow::Result<Method> {
    match text.trim().to_lowercase().as_str() {
        "goniometer" => Ok(Method::Goniometer),
        "inclinometer" => Ok(Method::Inclinometer),
        "camera-estimate" | "camera" => Ok(Method::CameraEstimate),
        _ => bail!("--method: `{text}` is not one of: goniometer, inclinometer, camera-estimate"),
    }
}

fn rater_of(text: &str) -> anyhow::Result<Rater> {
    match text.trim().to_lowercase().as_str() {
        "same" => Ok(Rater::Same),
        "different" => Ok(Rater::Different),
        _ => bail!("--rater: `{text}` is not one of: same, different"),
    }
}

/// Checks every flag and turns three trials into the stored median.
fn parse_add(args: &MeasureAddArgs, today: NaiveDate) -> anyhow::Result<Measurement> {
    let (side, position, method, rater) =
        (side_of(&args.side)?, position_of(&args.position)?, method_of(&args.method)?, rater_of(&args.rater)?);
    let trials = args
        .trials
        .split(',')
        .map(|t| {
            let value: f64 =
                t.trim().parse().map_err(|_| anyhow!("--trials: `{}` is not a number of degrees", t.trim()))?;
            if !(-20.0..=90.0).contains(&value) {
                bail!("--trials: {value} is not a hip internal-rotation reading; enter angles from -20 to 90 degrees");
            }
            Degrees::new(value).map_err(|e| anyhow!("--trials: {e}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let reading = Reading::from_trials(method, side, position, &trials)
        .map_err(|e| anyhow!("--trials: {e}, e.g. --trials 34,36,35"))?;
    Ok(Measurement {
        day: today,
        side,
        position,
        method,
        degrees: reading.angle().get(),
        uncertainty: reading.range.uncertainty.get(),
        rater,
        measured_by: args.by.clone(),
        recorded_at_ms: 0,
    })
}

/// The stored row as a core reading (whole degrees when shown).
pub fn reading_of(m: &Measurement) -> Reading {
    Reading {
        method: m.method,
        side: m.side,
        position: m.position,
        range: RangeOfMotion::new(
            Degrees::new(m.degrees).unwrap_or(Degrees::ZERO),
            Degrees::new(m.uncertainty).unwrap_or(Degrees::ZERO),
        ),
    }
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
    let epoch = crate::calendar::EPOCH;
    let dated: Vec<DatedReading> = measurements
        .iter()
        .map(|m| DatedReading { day: m.day.signed_duration_since(epoch).num_days(), reading: reading_of(m) })
        .collect();
    let mut text = String::new();
    for position in [TestPosition::Seated, TestPosition::Prone] {
        let mine: Vec<&Measurement> = measurements.iter().filter(|m| m.position == position).collect();
        if mine.is_empty() {
            continue;
        }
        text.push_str(&format!("{} test\n", capitalised(&position.to_string())));
        for side in Side::BOTH {
            let rater = rater_between(&mine, side);
            match Trend::of(&dated, side, position, rater) {
                Ok(trend) => text.push_str(&format!("  {}\n", trend_line(&trend))),
                Err(e) => text.push_str(&format!("  {side}: {e}\n")),
            }
        }
        let latest = |side: Side| mine.iter().filter(|m| m.side == side).max_by_key(|m| (m.day, m.recorded_at_ms));
        if let (Some(left), Some(right)) = (latest(Side::Left), latest(Side::Right)) {
            let rater = if left.rater == Rater::Different || right.rater == Rater::Different {
                Rater::Different
            } else {
                Rater::Same
            };
            if let Ok(asymmetry) = Asymmetry::between(&reading_of(left), &reading_of(right), rater) {
                text.push_str(&format!("  {}\n", asymmetry_line(&asymmetry)));
            }
        }
    }
    text
}

fn rater_between(measurements: &[&Measurement], side: Side) -> Rater {
    let latest = measurements.iter().filter(|m| m.side == side).max_by_key(|m| (m.day, m.recorded_at_ms));
    latest.map_or(Rater::Same, |m| m.rater)
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

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
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
