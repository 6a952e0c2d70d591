//! Plain lines for a pipe or a log: `[mm:ss] text`, pain answers read from standard input.

use super::{Clock, PAIN_KEYS, go_on_question, parse_go_on, parse_pain, summary_line};
use hipcoach_core::session::{Command, Effect, Engine, PainAnswer, SessionRecord};
use std::io::{BufRead, Write};
use std::time::Duration;

pub fn run(mut engine: Engine) -> anyhow::Result<Option<SessionRecord>> {
    let clock = Clock::start();
    let stdin = std::io::stdin();
    let mut input = stdin.lock().lines();
    let mut pending = engine.handle(clock.now(), Command::Start);
    loop {
        for effect in std::mem::take(&mut pending) {
            let stamp = stamp(clock.now());
            match effect {
                Effect::Show(text) => say(&format!("{stamp} {text}"))?,
                Effect::Remind(text) => say(&format!("{stamp} Tip: {text}"))?,
                Effect::StoppedForPain { advice, .. } => say(&format!("{stamp} STOPPED: {advice}"))?,
                Effect::AskPain { name, .. } => {
                    let answer = ask_pain(&name, &mut input)?;
                    pending.extend(engine.handle(clock.now(), Command::AnswerPain(answer)));
                }
                Effect::AskGoOn { name, .. } => {
                    say(&format!("{} [g/e]:", go_on_question(&name)))?;
                    let line = input.next().transpose()?.unwrap_or_default();
                    pending.extend(engine.handle(clock.now(), parse_go_on(&line)));
                }
                Effect::Finished(record) => {
                    say(&summary_line(&record))?;
                    return Ok(Some(record));
                }
                Effect::Beep(_) | Effect::Speak(_) => {}
            }
        }
        if !pending.is_empty() {
            continue;
        }
        let now = clock.now();
        if let Some(wake) = engine.next_wake() {
            std::thread::sleep(Duration::from_millis(wake.saturating_sub(now)));
        }
        pending = engine.handle(clock.now(), Command::Tick);
    }
}

fn ask_pain(name: &str, input: &mut impl Iterator<Item = std::io::Result<String>>) -> anyhow::Result<PainAnswer> {
    loop {
        say(&format!("Pain check after {name}: hip pain (the stretch feeling does not count), {PAIN_KEYS}:"))?;
        let Some(line) = input.next() else { return Ok(PainAnswer::NotAnswered) };
        match parse_pain(&line?) {
            Ok(answer) => return Ok(answer),
            Err(reason) => say(&reason)?,
        }
    }
}

fn stamp(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("[{:02}:{:02}]", seconds / 60, seconds % 60)
}

fn say(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}
