// The session player: plays what hipcoach's Rust engine schedules (engine.js runs it in the page,
// compiled to WebAssembly) and logs what the person does. All timing rules live in Rust; this
// file only schedules sounds, speech and drawing, and no tap needs the network. The log is kept
// on the device as it grows (records.js), so a lost connection, a closed tab or a server restart
// never loses a session: it is sent with the same key until the server has it, and the server
// replays it through the same engine to store its own record.
(async () => {
  "use strict";
  const root = document.getElementById("player");
  if (!root) return;
  const records = window.HipcoachRecords;
  await records.ready;
  const exercises = JSON.parse(root.dataset.exercises || "[]");
  const session = JSON.parse(root.dataset.session);
  const engine = window.HipcoachEngine.load();
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  // A session left part-way goes on only with the exercises it was played with.
  const resumed = records.mine().find((r) => r.key === params.get("resume") && r.state === "playing" &&
    (!r.played || r.played === session.played));
  let painBefore = resumed ? resumed.pain_before : null;
  const log = resumed ? resumed.log.slice() : [];
  const key = resumed ? resumed.key : "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  let day = resumed ? resumed.day : records.today();
  let t0 = null, timers = [], view = null, viewAt = 0, finished = false, audio = null, wakeLock = null;
  let said = { title: "", second: null, pain: false };
  // Whether the log has room for more of what the camera coach sees (the engine says).
  let cameraRoom = true;

  // A plan changed on the server since this device last showed today's session (on another
  // device, a changed profile, a morning check) is what this page plays; it says so.
  const SEEN = "hipcoach.session-seen";
  const user = document.querySelector("meta[name=hipcoach-user]")?.content || "";
  const seenNow = (finished) => ({ user, day: records.today(), played: session.played, names: root.dataset.names, finished });
  try {
    const seen = JSON.parse(localStorage.getItem(SEEN) || "null");
    if (!exercises.length && !resumed && seen && seen.user === user && seen.day === records.today() && !seen.finished &&
        seen.played !== session.played) {
      $("plan-changed").hidden = false;
      $("plan-changed").textContent = `Your plan changed since this device last showed today's session (then: ${seen.names}). The session below is today's now.`;
    }
    if (!exercises.length) localStorage.setItem(SEEN, JSON.stringify(seenNow(false)));
  } catch (_) { /* private mode: nothing to compare with */ }
  const now = () => Math.max(0, Math.round(performance.now() - t0));
  const started = () => t0 !== null;
  const muted = () => $("mute").checked;
  const jsonHeaders = { "content-type": "application/json", "x-csrf-token": document.querySelector("meta[name=csrf-token]")?.content || "" };

  function beep(kind) {
    if (muted()) return;
    try {
      audio = audio || new AudioContext();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = { start: 880, halfway: 660, "last-three": 520, end: 990 }[kind] || 700;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + (kind === "end" ? 0.6 : 0.18));
      osc.connect(gain).connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.6);
    } catch (_) { /* no audio: the screen still shows everything */ }
  }
  function speak(text) {
    if (muted() || !("speechSynthesis" in window)) return;
    speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  /** For screen readers: one polite live region, so announcements never pile up. */
  function announce(text) { $("announce").textContent = text; }

  /** The log so far, kept on the device: what "Go on with it" and "Save what you did" use.
   * `leaving`: the page is closing, when only a synchronous write is sure to land. */
  function keepLog(state, leaving = false) {
    if (!started()) return;
    const record = { key, exercises, log, pain_before: painBefore, day, names: root.dataset.names, played: session.played, items: session.items, state, left_at: now() };
    (leaving ? records.keepNow : records.keep)(record);
  }

  function render() {
    if (!view) return;
    const left = view.state === "running" ? Math.max(0, view.remaining_ms - (now() - viewAt)) : view.remaining_ms;
    // A set that waits for the camera (a rep to come back, a hold to reach end range) has no countdown.
    const waiting = ["awaiting-pain", "awaiting-choice", "finished"].includes(view.state) || view.waiting_for_camera;
    const seconds = Math.ceil(left / 1000);
    $("countdown").textContent = waiting ? "" : seconds;
    const title = view.title + (view.side ? " · " + view.side : "") + (view.state === "paused" ? " · paused" : "");
    $("title").textContent = title;
    $("exercise").textContent = view.exercise ? `${view.exercise} (${view.number} of ${view.of})` : "";
    for (const figure of root.querySelectorAll("[data-figure]")) figure.hidden = figure.dataset.figure !== view.exercise_id;
    $("breathing").textContent = view.breathing || "";
    $("bar").style.width = Math.round(view.progress * 100) + "%";
    const breath = $("breath");
    breath.className = "breath" + (view.phase === "out" ? " in" : view.phase === "hold" ? " hold" : view.phase === "back" ? " out" : "");
    const asking = view.state === "awaiting-pain";
    if (asking && $("pain").hidden) {
      $("pain").hidden = false;
      announce("Pain check. How is your hip? Rate it from 0 to 10, or choose a sign that means stop.");
      $("pain").querySelector("button").focus();
    }
    if (!asking && !$("pain").hidden) { $("pain").hidden = true; if (!finished) $("pause").focus(); }
    // While the person chooses after red pain, the choice is all there is.
    const choosing = view.state === "awaiting-choice";
    if (choosing && $("choice").hidden) { $("choice").hidden = false; $("choice").querySelector("button").focus(); }
    if (!choosing) $("choice").hidden = true;
    // Cues belong to an exercise under way: not to the choice after pain, nor to the end.
    const still = choosing || finished || view.state === "finished";
    $("cue").hidden = still;
    $("breath").hidden = still;
    $("breathing").hidden = still;
    // During the pain check and the choice their own answers take the stop button's place.
    if (!finished) $("stop").hidden = choosing || asking;
    if (started() && !finished) ["pause", "back", "skip", "end"].forEach((id) => ($(id).disabled = choosing));
    $("pause").textContent = view.state === "paused" ? "Resume" : "Pause";
    // Announced: each new step, and the last three seconds of a running one.
    if (title !== said.title) { said.title = title; said.second = null; announce([view.exercise, title].filter(Boolean).join(": ")); }
    if (view.state === "running" && seconds <= 3 && seconds >= 1 && said.second !== seconds) {
      said.second = seconds;
      announce(String(seconds));
    }
  }
  function play(moment) {
    view = moment.view; viewAt = moment.at;
    for (const effect of moment.effects) {
      switch (effect.type) {
        case "beep": beep(effect.value); break;
        case "speak": speak(effect.value); break;
        case "remind": $("cue").textContent = effect.value; break;
        case "stopped-for-pain": $("cue").textContent = effect.value.advice; $("choice-advice").textContent = effect.value.advice; break;
        case "ask-go-on": $("choice-title").textContent = `${effect.value.name}: stopped for today`; break;
        case "finished": finish(); break;
      }
    }
    render();
  }
  /** Asks the engine for the screen now and every moment until the person must act next, and
   * schedules them: one call per tap, answered in the page. */
  async function timeline() {
    let plan;
    try {
      plan = (await engine).timeline({ items: session.items, pace: session.pace, log, now: now() });
    } catch (error) {
      $("cue").textContent = `The session cannot go on: ${error.message}. What you did is kept on this device.`;
      return;
    }
    timers.forEach(clearTimeout); timers = [];
    cameraRoom = plan.camera_room;
    play(plan.now);
    for (const moment of plan.upcoming) {
      timers.push(setTimeout(() => play(moment), Math.max(0, moment.at - now())));
    }
  }
  function send(command) {
    if (!started() || finished) return;
    log.push({ at: now(), command });
    keepLog("playing");
    timeline();
  }
  function showStatus(status) {
    const line = $("save-status");
    line.textContent = records.statusWords(status);
    line.className = "save-status " + status.state;
    $("retry").hidden = status.state !== "waiting";
    if (status.login) { const a = document.createElement("a"); a.href = "/login?next=%2F"; a.textContent = " Log in"; line.append(a); }
    if (status.state === "saved") showSummary(status.body);
  }
  function showSummary(body) {
    const summary = $("summary");
    summary.hidden = false;
    const sets = body.record.exercises.flatMap((e) => e.sets);
    const done = sets.filter((s) => s.outcome === "completed").length;
    const h = document.createElement("h2"); h.textContent = "Session saved"; h.tabIndex = -1;
    const p = document.createElement("p"); p.textContent = `${done} of ${sets.length} sets done.`;
    summary.replaceChildren(h, p);
    for (const change of body.changes) { const c = document.createElement("p"); c.textContent = change; summary.append(c); }
    const a = document.createElement("a"); a.href = `/history/${body.id}`; a.textContent = "See this session";
    const b = document.createElement("a"); b.href = "/"; b.textContent = "Back to Today";
    summary.append(a, " · ", b);
    h.focus();
  }
  let saving = null;
  function finish() {
    if (finished) return;
    finished = true;
    timers.forEach(clearTimeout);
    ["pause", "back", "skip", "start", "end"].forEach((id) => ($(id).disabled = true));
    $("stop").hidden = true;
    if (wakeLock) wakeLock.release().catch(() => {});
    keepLog("finished");
    try { if (!exercises.length) localStorage.setItem(SEEN, JSON.stringify(seenNow(true))); } catch (_) { /* private mode */ }
    const record = records.mine().find((r) => r.key === key) ||
      { key, exercises, log, pain_before: painBefore, day, names: root.dataset.names, played: session.played, items: session.items };
    saving = records.sendUntilStored(record, showStatus);
  }
  async function begin() {
    if (started()) return;
    t0 = performance.now() - (resumed ? resumed.left_at : 0);
    if (!resumed) day = records.today(); // the day it is done, not the day the page was opened
    $("start").hidden = true;
    $("before").hidden = true;
    root.classList.remove("waiting");
    $("stop").disabled = false;
    root.scrollIntoView({ block: "start" });
    ["pause", "back", "skip", "end"].forEach((id) => ($(id).disabled = false));
    $("pause").focus();
    try { if ("wakeLock" in navigator) wakeLock = await navigator.wakeLock.request("screen"); } catch (_) {}
    if (resumed) {
      // Back where it was left, paused: Resume (or Space) carries on.
      log.push({ at: now(), command: { type: "pause" } });
      keepLog("playing");
      timeline();
    } else {
      send({ type: "start" });
    }
  }
  function endEarly() {
    if (!started() || finished) return;
    if (confirm("End the session now? What you did so far is saved.")) send({ type: "end-session" });
  }

  $("start").addEventListener("click", begin);
  $("pause").addEventListener("click", () => send({ type: view && view.state === "paused" ? "resume" : "pause" }));
  $("skip").addEventListener("click", () => send({ type: "skip" }));
  $("back").addEventListener("click", () => send({ type: "back" }));
  $("end").addEventListener("click", endEarly);
  $("stop").addEventListener("click", () => send({ type: "sharp-pain" }));
  $("retry").addEventListener("click", () => saving && saving.now());
  $("pain").addEventListener("click", (event) => {
    const b = event.target.closest("button");
    if (!b) return;
    if (b.dataset.score !== undefined) send({ type: "answer-pain", value: { type: "score", score: Number(b.dataset.score) } });
    else if (b.dataset.red) send({ type: "answer-pain", value: { type: b.dataset.red } });
    else if (b.dataset.skip) send({ type: "answer-pain", value: { type: "not-answered" } });
  });
  // After red pain nothing starts by itself: end here, or go on without that exercise.
  $("choice").addEventListener("click", (event) => {
    const b = event.target.closest("button[data-choice]");
    if (b) send({ type: b.dataset.choice });
  });
  $("before").addEventListener("click", async (event) => {
    if (event.target.closest("#go-gently")) { $("start").disabled = false; $("start").focus(); return; }
    if (event.target.closest("#rest-today")) {
      // Resting is a choice worth keeping: the pain is stored as today's before-session check.
      const response = await fetch("/api/checkins", {
        method: "POST", headers: jsonHeaders, body: JSON.stringify({ moment: "before", pain: painBefore }),
      }).catch(() => null);
      if (response && response.ok) { location.href = "/?rested"; return; }
      const why = response ? (await response.json().catch(() => ({}))).error : "there is no connection to the server.";
      $("rest-advice").querySelector("p").textContent = "Could not save your answer: " + why;
      return;
    }
    const b = event.target.closest("button[data-score]");
    if (!b) return;
    painBefore = Number(b.dataset.score);
    for (const other of $("before").querySelectorAll("button[data-score]")) other.setAttribute("aria-pressed", String(other === b));
    // High pain before a session: resting is the default; starting needs a second, deliberate choice.
    const red = "red" in b.dataset;
    $("rest-advice").hidden = !red;
    $("start").disabled = red;
  });
  // The terminal's keys: Space pause or resume, B back, S skip, X sharp pain, Q end.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
    const onButton = event.target.closest("button, a");
    switch (event.key) {
      case " ":
        if (onButton) return; // Space presses the focused button, as everywhere.
        event.preventDefault();
        if (!started()) { if (!$("start").disabled) begin(); } else if (!$("pause").disabled) $("pause").click();
        break;
      case "b": case "B": if (!$("back").disabled) send({ type: "back" }); break;
      case "s": case "S": if (!$("skip").disabled) send({ type: "skip" }); break;
      case "x": case "X": if (started() && !$("stop").hidden) send({ type: "sharp-pain" }); break;
      case "q": case "Q": endEarly(); break;
      default:
        // At the pain check a digit answers it (0–9; 10 is a tap).
        if (/^[0-9]$/.test(event.key) && !$("pain").hidden) {
          send({ type: "answer-pain", value: { type: "score", score: Number(event.key) } });
        }
    }
  });
  // Leaving part-way asks first; if the person leaves anyway, Today offers to go on or save.
  window.addEventListener("beforeunload", (event) => {
    if (!started() || finished) return;
    keepLog("playing", true);
    event.preventDefault();
    event.returnValue = "";
  });
  document.addEventListener("visibilitychange", () => { if (document.hidden && !finished) keepLog("playing", true); });
  if (params.get("resume") && !resumed) {
    // Played against an earlier plan: it cannot go on with today's exercises.
    $("plan-changed").hidden = false;
    $("plan-changed").textContent = "That session was played against an earlier plan, so it cannot go on here. Today keeps it: save what you did there, or start this one.";
  }
  if (resumed) {
    $("before").hidden = true;
    $("start").textContent = "Go on";
    $("exercise").textContent = `Going on with your session of ${records.dayWords(resumed.day)}`;
  }
  setInterval(render, 200);
  // For the camera coach (coach.js): it sends what the camera sees as the buttons send taps.
  window.HipcoachPlayer = { send, screen: () => view, started: () => started() && !finished, cameraRoom: () => cameraRoom };
})();
