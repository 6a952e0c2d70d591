//! The page's engine is the server's engine: scripted sessions played through the committed
//! `engine.wasm` (the bytes the page loads, run here by the wasmi interpreter) and through the
//! native build give byte-for-byte the same timelines, effects and records.

use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::{CameraEvent, FormFault};
use hipcoach_core::session::timeline::Logged;
use hipcoach_core::session::{Command, Pace, PainAnswer, SessionItem};
use hipcoach_core::units::PainScore;
use proptest::prelude::*;
use serde_json::json;
use wasmi::{Engine, Instance, Linker, Memory, Module, Store, TypedFunc};

/// The committed module, as the web server embeds it.
const ENGINE_WASM: &[u8] = include_bytes!("../../hipcoach-web/src/assets/engine.wasm");

/// The page's module, instantiated once.
struct PageEngine {
    store: Store<()>,
    memory: Memory,
    input: TypedFunc<i32, i32>,
    timeline: TypedFunc<(), i32>,
    analyse: TypedFunc<(i32, i32, i32), i32>,
    live_start: TypedFunc<(i32, i32, i32, i32), i32>,
    live_frame: TypedFunc<(), i32>,
    coach_frame: TypedFunc<(i32, i32, i32, i32, i32), i32>,
    output_ptr: TypedFunc<(), i32>,
    output_len: TypedFunc<(), i32>,
}

impl PageEngine {
    fn load() -> Self {
        let engine = Engine::default();
        let module = Module::new(&engine, ENGINE_WASM).expect("engine.wasm is a valid module");
        let mut store = Store::new(&engine, ());
        // No imports: the engine needs nothing from the page but memory it owns.
        let instance: Instance = Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .expect("engine.wasm needs no imports");
        let memory = instance.get_memory(&store, "memory").expect("engine.wasm exports its memory");
        Self {
            input: instance.get_typed_func(&store, "input").expect("input"),
            timeline: instance.get_typed_func(&store, "timeline").expect("timeline"),
            analyse: instance.get_typed_func(&store, "analyse").expect("analyse"),
            live_start: instance.get_typed_func(&store, "live_start").expect("live_start"),
            live_frame: instance.get_typed_func(&store, "live_frame").expect("live_frame"),
            coach_frame: instance.get_typed_func(&store, "coach_frame").expect("coach_frame"),
            output_ptr: instance.get_typed_func(&store, "output_ptr").expect("output_ptr"),
            output_len: instance.get_typed_func(&store, "output_len").expect("output_len"),
            memory,
            store,
        }
    }

    /// What the page gets for a request: (is it a result, the answer's bytes).
    fn timeline(&mut self, request: &[u8]) -> (bool, Vec<u8>) {
        let entry = self.timeline;
        self.call(request, |store| entry.call(store, ()).expect("timeline runs to the end"))
    }

    /// What the page gets for a keypoint recording analysed with these options.
    fn analyse(&mut self, file: &[u8], options: (i32, i32, i32)) -> (bool, Vec<u8>) {
        let entry = self.analyse;
        self.call(file, |store| entry.call(store, options).expect("analyse runs to the end"))
    }

    /// Starts a live test in the page's module.
    fn live_start(&mut self, options: (i32, i32, i32, i32)) -> (bool, Vec<u8>) {
        let entry = self.live_start;
        self.call(b"", |store| entry.call(store, options).expect("live_start runs"))
    }

    /// What the page gets for one camera frame.
    fn live_frame(&mut self, frame: &[u8]) -> (bool, Vec<u8>) {
        let entry = self.live_frame;
        self.call(frame, |store| entry.call(store, ()).expect("live_frame runs to the end"))
    }

    /// What the page's camera coach answers for one frame.
    fn coach_frame(&mut self, frame: &[u8], options: (i32, i32, i32, i32, i32)) -> (bool, Vec<u8>) {
        let entry = self.coach_frame;
        self.call(frame, |store| entry.call(store, options).expect("coach_frame runs to the end"))
    }

    /// Writes the request where the module asks, runs the entry point, reads the answer.
    fn call(&mut self, request: &[u8], entry: impl FnOnce(&mut Store<()>) -> i32) -> (bool, Vec<u8>) {
        let len = i32::try_from(request.len()).expect("small request");
        let at = self.input.call(&mut self.store, len).expect("input");
        assert_ne!(at, 0, "room for {len} bytes");
        self.memory.write(&mut self.store, at as usize, request).expect("write the request");
        let ok = entry(&mut self.store);
        let ptr = self.output_ptr.call(&mut self.store, ()).expect("output_ptr") as usize;
        let len = self.output_len.call(&mut self.store, ()).expect("output_len") as usize;
        let mut answer = vec![0; len];
        self.memory.read(&self.store, ptr, &mut answer).expect("read the answer");
        (ok == 1, answer)
    }
}

/// The native build's answer, in the same shape.
fn native(request: &[u8]) -> (bool, Vec<u8>) {
    match hipcoach_wasm::answer_timeline(request) {
        Ok(bytes) => (true, bytes),
        Err(reason) => (false, serde_json::to_vec(&json!({ "error": reason })).expect("json")),
    }
}

/// Sessions as the planner builds them: catalog exercises of each kind (holds, reps with
/// tempo, each side, together, alternating).
fn sessions() -> Vec<Vec<SessionItem>> {
    let catalog = Catalog::builtin();
    let items: Vec<SessionItem> = catalog.exercises().map(SessionItem::from_exercise).collect();
    items.chunks(3).map(<[SessionItem]>::to_vec).collect()
}

/// A person's actions: what a tap can send, with the pain answers of every kind.
fn command() -> impl Strategy<Value = Command> {
    let score = (0..=10i64).prop_map(|n| PainAnswer::Score(PainScore::new(n).expect("0–10")));
    let answer = prop_oneof![
        4 => score,
        1 => Just(PainAnswer::Sharp),
        1 => Just(PainAnswer::CatchingOrLocking),
        1 => Just(PainAnswer::NotAnswered),
    ];
    prop_oneof![
        3 => Just(Command::Tick),
        2 => Just(Command::Pause),
        2 => Just(Command::Resume),
        2 => Just(Command::Skip),
        2 => Just(Command::Back),
        1 => Just(Command::SharpPain),
        4 => answer.prop_map(Command::AnswerPain),
        1 => Just(Command::GoOn),
        1 => Just(Command::EndSession),
        1 => Just(Command::Camera(CameraEvent::On)),
        1 => Just(Command::Camera(CameraEvent::Off)),
        1 => Just(Command::Camera(CameraEvent::AtEndRange)),
        1 => Just(Command::Camera(CameraEvent::LeftEndRange)),
        2 => Just(Command::Camera(CameraEvent::Rep { ms: 4_000, held_ms: 900 })),
        1 => Just(Command::Camera(CameraEvent::Fault { fault: FormFault::KneeDrifting })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// After every tap of a random session, the page's module answers exactly what the server
    /// answers: the screen, the effects to play, and (at the end) the record.
    #[test]
    fn the_page_plays_exactly_what_the_server_replays(
        which in any::<prop::sample::Index>(),
        taps in prop::collection::vec((0u64..90_000, command()), 1..24),
        quick in any::<bool>(),
    ) {
        let sessions = sessions();
        let items = which.get(&sessions);
        let pace = if quick { Pace::capped(200) } else { Pace::default() };
        let mut page = PageEngine::load();
        let mut log = vec![Logged { at: 0, command: Command::Start }];
        let mut at = 0;
        for (gap, command) in taps {
            at += gap;
            log.push(Logged { at, command });
            let request = serde_json::to_vec(&json!({ "items": items, "pace": pace, "log": log, "now": at + 500 }))
                .expect("json");
            let (wasm_ok, wasm) = page.timeline(&request);
            let (native_ok, native) = native(&request);
            prop_assert_eq!(wasm_ok, native_ok);
            prop_assert_eq!(String::from_utf8_lossy(&wasm), String::from_utf8_lossy(&native));
        }
    }
}

#[test]
fn a_whole_session_to_its_record_is_the_same_in_the_page() {
    let items = &sessions()[0];
    let mut page = PageEngine::load();
    let mut log = vec![Logged { at: 0, command: Command::Start }];
    let mut finished = false;
    for _ in 0..100 {
        let request = serde_json::to_vec(
            &json!({ "items": items, "pace": Pace::default(), "log": log, "now": log.last().map_or(0, |l| l.at) }),
        )
        .expect("json");
        let (ok, wasm) = page.timeline(&request);
        assert!(ok, "{}", String::from_utf8_lossy(&wasm));
        assert_eq!(wasm, native(&request).1);
        let answer: serde_json::Value = serde_json::from_slice(&wasm).expect("json");
        let last = answer["upcoming"].as_array().and_then(|u| u.last()).unwrap_or(&answer["now"]).clone();
        match last["view"]["state"].as_str() {
            Some("awaiting-pain") => log.push(Logged {
                at: last["at"].as_u64().expect("time"),
                command: Command::AnswerPain(PainAnswer::Score(PainScore::new(2).expect("0–10"))),
            }),
            Some("finished") => {
                let record = last["effects"].as_array().and_then(|e| e.iter().find(|e| e["type"] == "finished"));
                let record = record.expect("the last moment stores the record");
                let sets = record["value"]["exercises"].as_array().expect("exercises");
                assert_eq!(sets.len(), items.len());
                finished = true;
                break;
            }
            other => panic!("the session stopped in {other:?}"),
        }
    }
    assert!(finished, "the session never finished");
}

#[test]
fn a_request_that_is_not_a_session_is_refused_in_words_by_both() {
    let mut page = PageEngine::load();
    for request in [&b"not json"[..], br#"{"items": [], "pace": {"get_ready_ms": 1, "switch_ms": 1, "cap_ms": null}, "log": [{"at": 5, "command": {"type": "start"}}, {"at": 1, "command": {"type": "tick"}}], "now": 9}"#] {
        let (ok, wasm) = page.timeline(request);
        assert!(!ok);
        assert_eq!(wasm, native(request).1);
        let error: serde_json::Value = serde_json::from_slice(&wasm).expect("json");
        assert!(error["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
}

/// The page's analyser is `hipcoach analyze`'s: a recording analysed by the committed module and
/// by the native build gives the same summary, and a broken file the same reason.
#[test]
fn the_page_analyses_keypoints_as_the_command_does() {
    use hipcoach_core::measure::synthetic::{Motion, Scenario};
    use hipcoach_core::units::Side;
    let mut page = PageEngine::load();
    for (side, options) in [(Side::Right, (0, 0, 1)), (Side::Left, (0, 1, 0)), (Side::Right, (1, 2, 1))] {
        let scenario = Scenario { motion: Motion { side, ..Motion::default() }, ..Scenario::default() };
        let file = scenario.recording().0.to_json();
        let native =
            hipcoach_wasm::answer_analyse(file.as_bytes(), options.0 as u32, options.1 as u32, options.2 as u32);
        let (ok, answer) = page.analyse(file.as_bytes(), options);
        assert!(ok, "{}", String::from_utf8_lossy(&answer));
        assert_eq!(answer, native.expect("native analysis"), "{side:?} {options:?}");
    }
    let (ok, answer) = page.analyse(b"{}", (0, 3, 1));
    assert!(!ok, "an unknown side is refused, not taken for auto");
    assert!(String::from_utf8_lossy(&answer).contains("side 3 is not a side"));
    let (ok, answer) = page.analyse(br#"{"format": "hipcoach-keypoints", "version": 2}"#, (0, 0, 1));
    assert!(!ok);
    let reason: serde_json::Value = serde_json::from_slice(&answer).expect("json");
    assert!(reason["error"].as_str().expect("reason").contains("missing field"), "{reason}");
}

/// The live camera in the page is the native one: the keypoints BlazePose found in a rendered
/// clip, frame by frame through the committed module and through the native build, give the
/// same screens, ending in the same estimate.
#[test]
fn the_live_camera_in_the_page_is_the_native_one() {
    use hipcoach_core::measure::Recording;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/clips/seated-right-ir.keypoints.json");
    let recording = Recording::from_json(&std::fs::read_to_string(path).expect("clip")).expect("valid");
    let mut page = PageEngine::load();
    let (width, height) = (recording.image.width() as i32, recording.image.height() as i32);
    let (ok, answer) = page.live_start((0, 2, width, height));
    assert!(ok, "{}", String::from_utf8_lossy(&answer));
    hipcoach_wasm::start_live(0, 2, width as u32, height as u32).expect("native start");
    let mut last = Vec::new();
    for frame in &recording.frames {
        let points: Vec<Vec<f32>> =
            frame.points.iter().map(|p| vec![p.x, p.y, p.visibility, p.z.unwrap_or(0.0)]).collect();
        let body = serde_json::to_vec(&json!({"t_ms": frame.t_ms, "keypoints": points})).expect("json");
        let (ok, answer) = page.live_frame(&body);
        assert!(ok, "{}", String::from_utf8_lossy(&answer));
        assert_eq!(answer, hipcoach_wasm::answer_live_frame(&body).expect("native frame"), "at {} ms", frame.t_ms);
        last = answer;
    }
    let screen: serde_json::Value = serde_json::from_slice(&last).expect("json");
    assert_eq!(screen["stage"], "done", "{screen}");
    assert_eq!(screen["estimate"]["trials_degrees"].as_array().map(Vec::len), Some(3));
    let (ok, answer) = page.live_frame(br#"{"t_ms": 1, "keypoints": []}"#);
    assert!(!ok && String::from_utf8_lossy(&answer).contains("33"), "a broken frame is refused with the reason");
}

#[test]
fn the_camera_coach_in_the_page_is_the_native_one() {
    use hipcoach_core::measure::Recording;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/clips/seated-right-ir.keypoints.json");
    let recording = Recording::from_json(&std::fs::read_to_string(path).expect("clip")).expect("valid");
    let mut page = PageEngine::load();
    let (width, height) = (recording.image.width() as i32, recording.image.height() as i32);
    let mut events = Vec::new();
    for frame in &recording.frames {
        let points: Vec<Vec<f32>> =
            frame.points.iter().map(|p| vec![p.x, p.y, p.visibility, p.z.unwrap_or(0.0)]).collect();
        let body = serde_json::to_vec(&json!({"t_ms": frame.t_ms, "keypoints": points})).expect("json");
        // Watching the right leg's reps, as the screen of a right-side set names it.
        let (ok, answer) = page.coach_frame(&body, (0, 2, 0, width, height));
        assert!(ok, "{}", String::from_utf8_lossy(&answer));
        let native = hipcoach_wasm::answer_coach_frame(&body, 0, 2, 0, width as u32, height as u32).expect("native");
        assert_eq!(answer, native, "at {} ms", frame.t_ms);
        let screen: serde_json::Value = serde_json::from_slice(&answer).expect("json");
        events.extend(screen["events"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(events.first().map(|e| e["type"].clone()), Some(json!("on")), "{events:?}");
    let reps = events.iter().filter(|e| e["type"] == "rep").count();
    assert_eq!(reps, 3, "the rendered person turns three times: {events:?}");
}
