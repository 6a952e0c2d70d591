//! Any sequence of commands at any times keeps the session engine whole.
#![no_main]
use hipcoach_core::catalog::Catalog;
use hipcoach_core::session::{Command, Engine, Pace, PainAnswer, SessionItem};
use hipcoach_core::units::PainScore;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let items: Vec<SessionItem> = Catalog::builtin().exercises().take(4).map(SessionItem::from_exercise).collect();
    let mut engine = Engine::new(items, Pace::default());
    let mut now = 0u64;
    for pair in data.chunks(2) {
        now += u64::from(pair[0]) * 97;
        let command = match pair.get(1).copied().unwrap_or(0) % 10 {
            0 => Command::Start,
            1 => Command::Pause,
            2 => Command::Resume,
            3 => Command::Skip,
            4 => Command::Back,
            5 => Command::SharpPain,
            6 => Command::AnswerPain(PainAnswer::Sharp),
            7 => Command::AnswerPain(PainAnswer::Score(PainScore::new(i64::from(pair[0] % 11)).expect("0..=10"))),
            8 => Command::EndSession,
            _ => Command::Tick,
        };
        let _ = engine.view(now);
        let _ = engine.handle(now, command);
    }
});
