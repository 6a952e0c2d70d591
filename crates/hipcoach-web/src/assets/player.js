// The session player: plays what the server's engine schedules, and logs what the user does.
// All timing rules live in Rust; this file only schedules sounds, speech and drawing.
(() => {
  "use strict";
  const root = document.getElementById("player");
  if (!root) return;
  const exercises = JSON.parse(root.dataset.exercises || "[]");
  const $ = (id) => document.getElementById(id);
  let painBefore = null;
  const log = [];
  let t0 = null, timers = [], view = null, viewAt = 0, finished = false, audio = null, wakeLock = null;
  const key = "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
  const now = () => Math.max(0, Math.round(performance.now() - t0));
  const muted = () => $("mute").checked;
  // Writes carry the page's CSRF token, which another site's page cannot read.
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
  function render() {
    if (!view) return;
    const left = view.state === "running" ? Math.max(0, view.remaining_ms - (now() - viewAt)) : view.remaining_ms;
    const waiting = ["awaiting-pain", "awaiting-choice", "finished"].includes(view.state);
    $("countdown").textContent = waiting ? "" : Math.ceil(left / 1000);
    $("title").textContent = view.title + (view.side ? " · " + view.side : "") + (view.state === "paused" ? " · paused" : "");
    $("exercise").textContent = view.exercise ? `${view.exercise} (${view.number} of ${view.of})` : "";
    $("breathing").textContent = view.breathing || "";
    $("bar").style.width = Math.round(view.progress * 100) + "%";
    const breath = $("breath");
    breath.className = "breath" + (view.phase === "out" ? " in" : view.phase === "hold" ? " hold" : view.phase === "back" ? " out" : "");
    $("pain").hidden = view.state !== "awaiting-pain";
    // While the person chooses after red pain, the choice is all there is: no stop button over it.
    const choosing = view.state === "awaiting-choice";
    if (choosing && $("choice").hidden) { $("choice").hidden = false; $("choice").querySelector("button").focus(); }
    if (!choosing) $("choice").hidden = true;
    $("cue").hidden = choosing;
    $("breath").hidden = choosing;
    // During the pain check its own red answers take the stop button's place, so it covers nothing.
    if (!finished) $("stop").hidden = choosing || view.state === "awaiting-pain";
    if (t0 !== null && !finished) ["pause", "back", "skip"].forEach((id) => ($(id).disabled = choosing));
    $("pause").textContent = view.state === "paused" ? "Resume" : "Pause";
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
  async function timeline() {
    const response = await fetch("/api/player/timeline", {
      method: "POST", headers: jsonHeaders,
      body: JSON.stringify({ exercise: exercises, log, now: now() }),
    });
    if (!response.ok) { $("cue").textContent = (await response.json()).error; return; }
    const plan = await response.json();
    timers.forEach(clearTimeout); timers = [];
    play(plan.now);
    for (const moment of plan.upcoming) {
      timers.push(setTimeout(() => play(moment), Math.max(0, moment.at - now())));
    }
  }
  function send(command) {
    if (t0 === null || finished) return;
    log.push({ at: now(), command });
    timeline();
  }
  async function finish() {
    if (finished) return;
    finished = true;
    timers.forEach(clearTimeout);
    ["pause", "back", "skip", "start"].forEach((id) => ($(id).disabled = true));
    $("stop").hidden = true;
    if (wakeLock) wakeLock.release().catch(() => {});
    const response = await fetch("/api/sessions", {
      method: "POST", headers: jsonHeaders,
      body: JSON.stringify({ key, exercise: exercises, log, pain_before: painBefore }),
    });
    const body = await response.json();
    const summary = $("summary");
    summary.hidden = false;
    if (!response.ok) { summary.textContent = "Could not save: " + body.error; return; }
    const sets = body.record.exercises.flatMap((e) => e.sets);
    const done = sets.filter((s) => s.outcome === "completed").length;
    summary.replaceChildren();
    const h = document.createElement("h2"); h.textContent = "Session saved"; summary.append(h);
    const p = document.createElement("p"); p.textContent = `${done} of ${sets.length} sets done.`; summary.append(p);
    for (const change of body.changes) { const li = document.createElement("p"); li.textContent = change; summary.append(li); }
    const a = document.createElement("a"); a.href = "/history"; a.textContent = "See your history"; summary.append(a);
  }
  $("start").addEventListener("click", async () => {
    if (t0 !== null) return;
    t0 = performance.now();
    $("start").hidden = true;
    $("before").hidden = true;
    root.scrollIntoView({ block: "start" });
    ["pause", "back", "skip"].forEach((id) => ($(id).disabled = false));
    try { if ("wakeLock" in navigator) wakeLock = await navigator.wakeLock.request("screen"); } catch (_) {}
    send({ type: "start" });
  });
  $("pause").addEventListener("click", () => send({ type: view && view.state === "paused" ? "resume" : "pause" }));
  $("skip").addEventListener("click", () => send({ type: "skip" }));
  $("back").addEventListener("click", () => send({ type: "back" }));
  $("stop").addEventListener("click", () => send({ type: "sharp-pain" }));
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
      });
      if (response.ok) { location.href = "/"; return; }
      $("rest-advice").querySelector("p").textContent = "Could not save your answer: " + (await response.json()).error;
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
  setInterval(render, 200);
})();
