//! The full-screen player: a big countdown, the cue of the moment, a progress bar, keys.

use super::{Clock, PAIN_KEYS, big_digits, go_on_question, parse_go_on, parse_pain, summary_line};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::style::{Attribute, Color, Print, ResetColor, SetAttribute, SetForegroundColor};
use crossterm::{cursor, execute, queue, terminal};
use hipcoach_core::session::{Command, Effect, Engine, RunState, SessionRecord, StepKind, View, Working};
use std::io::Write;
use std::time::Duration;

/// What the screen remembers between effects.
#[derive(Default)]
struct Screen {
    instruction: String,
    reminder: Option<String>,
    alert: Option<String>,
    pain_prompt: Option<String>,
    /// The exercise red pain stopped, while the go-on question is open.
    stopped: Option<String>,
    typed: String,
    error: Option<String>,
    record: Option<SessionRecord>,
    /// The exercise (its number) the tip and the alert on screen belong to: a cue for one
    /// exercise can be the opposite of the next one's movement, so it never outlives it.
    cues_for: usize,
}

/// Puts the terminal back however the player ends, panics included.
struct RawMode;

impl RawMode {
    fn enter() -> anyhow::Result<Self> {
        terminal::enable_raw_mode()?;
        execute!(std::io::stdout(), terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(Self)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = execute!(std::io::stdout(), cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

pub fn run(mut engine: Engine) -> anyhow::Result<Option<SessionRecord>> {
    let guard = RawMode::enter()?;
    let clock = Clock::start();
    let mut screen = Screen::default();
    let effects = engine.handle(clock.now(), Command::Start);
    apply(&mut screen, effects)?;
    while screen.record.is_none() {
        let view = engine.view(clock.now());
        if view.exercise_number.0 != screen.cues_for && view.state == RunState::Running {
            screen.cues_for = view.exercise_number.0;
            screen.reminder = None;
            screen.alert = None;
        }
        draw(&view, &screen)?;
        let now = clock.now();
        let wait = engine.next_wake().map_or(100, |wake| wake.saturating_sub(now)).min(100);
        if event::poll(Duration::from_millis(wait))? {
            if let Event::Key(key) = event::read()? {
                if key.kind != KeyEventKind::Release {
                    if let Some(command) = command_for(&engine, &mut screen, key) {
                        let effects = engine.handle(clock.now(), command);
                        apply(&mut screen, effects)?;
                    }
                }
            }
        }
        let effects = engine.handle(clock.now(), Command::Tick);
        apply(&mut screen, effects)?;
    }
    let record = screen.record.take();
    if let Some(record) = &record {
        draw_finish(record)?;
        loop {
            if let Event::Key(key) = event::read()? {
                if key.kind == KeyEventKind::Press {
                    break;
                }
            }
        }
    }
    drop(guard);
    if let Some(record) = &record {
        println!("{}", summary_line(record));
    }
    Ok(record)
}

fn command_for(engine: &Engine, screen: &mut Screen, key: KeyEvent) -> Option<Command> {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    if ctrl_c || key.code == KeyCode::Char('q') || key.code == KeyCode::Esc {
        return Some(Command::EndSession);
    }
    if engine.state() == RunState::AwaitingChoice {
        return match key.code {
            KeyCode::Char(c @ ('g' | 'e')) => {
                screen.stopped = None;
                Some(parse_go_on(&c.to_string()))
            }
            _ => None,
        };
    }
    if engine.state() == RunState::AwaitingPain {
        match key.code {
            KeyCode::Char(c) if c.is_ascii_digit() && screen.typed.len() < 2 => screen.typed.push(c),
            KeyCode::Char(c @ ('x' | 'p' | 'c' | 't')) => {
                screen.typed.clear();
                return parse_pain(&c.to_string()).ok().map(Command::AnswerPain);
            }
            KeyCode::Backspace => {
                screen.typed.pop();
            }
            KeyCode::Enter => match parse_pain(&screen.typed) {
                Ok(answer) => {
                    screen.typed.clear();
                    screen.error = None;
                    return Some(Command::AnswerPain(answer));
                }
                Err(reason) => {
                    screen.typed.clear();
                    screen.error = Some(reason);
                }
            },
            _ => {}
        }
        return None;
    }
    match key.code {
        KeyCode::Char(' ') | KeyCode::Char('p') => {
            Some(if engine.state() == RunState::Paused { Command::Resume } else { Command::Pause })
        }
        KeyCode::Char('s') | KeyCode::Right => Some(Command::Skip),
        KeyCode::Char('b') | KeyCode::Left => Some(Command::Back),
        KeyCode::Char('x') => Some(Command::SharpPain),
        _ => None,
    }
}

fn apply(screen: &mut Screen, effects: Vec<Effect>) -> anyhow::Result<()> {
    for effect in effects {
        match effect {
            Effect::Show(text) => screen.instruction = text,
            Effect::Remind(text) => screen.reminder = Some(text),
            Effect::Beep(_) => {
                let mut out = std::io::stdout();
                out.write_all(b"\x07")?;
                out.flush()?;
            }
            Effect::Speak(_) => {}
            Effect::AskPain { name, .. } => {
                screen.pain_prompt = Some(name);
                screen.alert = None;
            }
            Effect::StoppedForPain { advice, .. } => screen.alert = Some(advice),
            Effect::AskGoOn { name, .. } => {
                screen.stopped = Some(name);
                screen.reminder = None;
            }
            Effect::Finished(record) => screen.record = Some(record),
        }
    }
    Ok(())
}

fn draw(view: &View<'_>, screen: &Screen) -> anyhow::Result<()> {
    let (width, height) = terminal::size()?;
    let width = usize::from(width.max(40));
    let text_width = width.saturating_sub(4);
    let mut out = std::io::stdout();
    queue!(out, terminal::Clear(terminal::ClearType::All), cursor::MoveTo(0, 0))?;
    let mut row: u16 = 0;
    let mut line = |out: &mut std::io::Stdout, text: &str, color: Option<Color>, bold: bool| -> anyhow::Result<()> {
        if row >= height {
            return Ok(());
        }
        queue!(out, cursor::MoveTo(1, row))?;
        if let Some(color) = color {
            queue!(out, SetForegroundColor(color))?;
        }
        if bold {
            queue!(out, SetAttribute(Attribute::Bold))?;
        }
        let shown: String = text.chars().take(width.saturating_sub(2)).collect();
        queue!(out, Print(shown), SetAttribute(Attribute::Reset), ResetColor)?;
        row += 1;
        Ok(())
    };

    let name = view.item.map_or("", |item| item.name.as_str());
    let (number, count) = view.exercise_number;
    let paused = if view.state == RunState::Paused { "   ‖ PAUSED" } else { "" };
    line(&mut out, &format!("hipcoach · exercise {number} of {count} · {name}{paused}"), Some(Color::Cyan), true)?;
    line(&mut out, &"─".repeat(width.saturating_sub(2)), None, false)?;

    if view.state == RunState::AwaitingChoice {
        line(&mut out, "", None, false)?;
        line(&mut out, "STOPPED FOR PAIN", Some(Color::Red), true)?;
        line(&mut out, "", None, false)?;
        let advice = screen.alert.as_deref().unwrap_or(&screen.instruction);
        for text in textwrap::wrap(advice, text_width).into_iter().take(5) {
            line(&mut out, &text, Some(Color::Red), false)?;
        }
        line(&mut out, "", None, false)?;
        let stopped = screen.stopped.as_deref().unwrap_or(name);
        for text in textwrap::wrap(&go_on_question(stopped), text_width) {
            line(&mut out, &text, None, true)?;
        }
    } else if view.state == RunState::AwaitingPain {
        let exercise = screen.pain_prompt.as_deref().unwrap_or(name);
        line(&mut out, "", None, false)?;
        line(&mut out, &format!("PAIN CHECK — {exercise}"), Some(Color::Yellow), true)?;
        line(&mut out, "", None, false)?;
        let help = [
            "How is your hip? Type any hip pain from 0 (none) to 10 (worst), then Enter.",
            "The stretch feeling does not count.",
            &format!("Keys: {PAIN_KEYS}."),
        ];
        for text in help.iter().flat_map(|paragraph| textwrap::wrap(paragraph, text_width)) {
            line(&mut out, &text, None, false)?;
        }
        line(&mut out, "", None, false)?;
        line(&mut out, &format!("Hip pain: {}_", screen.typed), None, true)?;
        if let Some(error) = &screen.error {
            line(&mut out, error, Some(Color::Red), false)?;
        }
    } else {
        line(&mut out, "", None, false)?;
        line(&mut out, &step_title(view), Some(Color::Green), true)?;
        line(&mut out, "", None, false)?;
        for digits in big_digits::render(&big_digits::clock(view.remaining_ms)) {
            line(&mut out, &format!("   {digits}"), Some(Color::White), true)?;
        }
        line(&mut out, "", None, false)?;
        if let Some(breathing) = view.breathing {
            for text in textwrap::wrap(&format!("Breathe: {breathing}"), text_width) {
                line(&mut out, &text, Some(Color::Blue), false)?;
            }
        }
        // During work the title and breathing cue say it all; between sets the instruction matters.
        if !view.step.is_some_and(|s| s.kind.is_work()) {
            for text in textwrap::wrap(&screen.instruction, text_width).into_iter().take(3) {
                line(&mut out, &text, None, false)?;
            }
        }
        if let Some(reminder) = &screen.reminder {
            for text in textwrap::wrap(&format!("Tip: {reminder}"), text_width).into_iter().take(2) {
                line(&mut out, &text, Some(Color::Magenta), false)?;
            }
        }
        if let Some(alert) = &screen.alert {
            for text in textwrap::wrap(alert, text_width).into_iter().take(3) {
                line(&mut out, &text, Some(Color::Red), true)?;
            }
        }
    }

    let bar_width = width.saturating_sub(12);
    let filled = ((view.progress.clamp(0.0, 1.0)) * bar_width as f64).round() as usize;
    let bar = format!("[{}{}] {:>3.0}%", "█".repeat(filled), "░".repeat(bar_width - filled), view.progress * 100.0);
    queue!(out, cursor::MoveTo(1, height.saturating_sub(2)), Print(bar))?;
    // The keys that do something now, and only those.
    queue!(out, cursor::MoveTo(1, height.saturating_sub(1)))?;
    match view.state {
        RunState::AwaitingPain => queue!(out, Print("type the answer · Enter alone skips · q end"))?,
        RunState::AwaitingChoice => queue!(out, Print("g go on without it · e or q end the session"))?,
        _ => queue!(
            out,
            Print("space pause · s skip · b back · q end · "),
            SetForegroundColor(Color::Red),
            SetAttribute(Attribute::Bold),
            Print("x SHARP PAIN: stop now"),
            SetAttribute(Attribute::Reset),
            ResetColor
        )?,
    }
    out.flush()?;
    Ok(())
}

fn step_title(view: &View<'_>) -> String {
    let side = |working: Working| match working {
        Working::Side(side) => format!(" · {} side", side.to_string().to_uppercase()),
        Working::Both => String::new(),
        Working::Alternating => " · ALTERNATING".into(),
    };
    match view.step.map(|s| s.kind) {
        Some(StepKind::GetReady) => "GET READY".into(),
        Some(StepKind::SwitchSides { to }) => format!("SWITCH SIDES → {}", to.to_string().to_uppercase()),
        Some(StepKind::Hold { set, working }) => format!("HOLD{} · set {set}", side(working)),
        Some(StepKind::Rep { set, working, rep, of, phase }) => {
            format!("REP {rep} of {of}{} · set {set} · {}", side(working), phase.label().to_uppercase())
        }
        Some(StepKind::Rest) => "REST".into(),
        Some(StepKind::PainCheck) => "PAIN CHECK".into(),
        None => String::new(),
    }
}

fn draw_finish(record: &SessionRecord) -> anyhow::Result<()> {
    let (width, _) = terminal::size()?;
    let mut out = std::io::stdout();
    queue!(out, terminal::Clear(terminal::ClearType::All), cursor::MoveTo(1, 1), SetAttribute(Attribute::Bold))?;
    let title = if record.ended_early { "SESSION ENDED EARLY" } else { "SESSION COMPLETE" };
    queue!(out, Print(title), SetAttribute(Attribute::Reset))?;
    for (row, text) in textwrap::wrap(&summary_line(record), usize::from(width.max(40)) - 4).iter().enumerate() {
        queue!(out, cursor::MoveTo(1, 3 + row as u16), Print(text))?;
    }
    queue!(out, cursor::MoveTo(1, 8), Print("Press any key."))?;
    out.flush()?;
    Ok(())
}
