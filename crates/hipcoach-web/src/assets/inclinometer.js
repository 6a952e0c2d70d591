// The phone as an inclinometer strapped to the shin. It reads the gravity vector
// (devicemotion accelerationIncludingGravity, not orientation angles, which lock up with the
// phone upright), averages half a second of it once the phone is still, and sends the neutral and
// end vectors of three trials to the server, which computes and stores the angle. The live
// number is only a display, in whole degrees.
(() => {
  "use strict";
  const root = document.getElementById("incl");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const TRIALS = Number(root.dataset.trials || 3);
  const G = 9.80665;
  const WINDOW_MS = 500;       // averaged for one capture
  const END_HOLD_MS = 1000;    // still this long at end range before it is recorded
  const SETTLE_MS = 1000;      // time to get into position before a neutral is recorded
  const STILL_SD = 0.15;       // m/s², largest spread per axis that counts as still
  const MIN_TURN = 5;          // degrees: less than this is not a turn yet
  const BACK_TO_NEUTRAL = 10;  // degrees from the last neutral that count as "back"
  const SENSOR_WAIT_MS = 2500; // no reading by then: no usable motion sensor

  let samples = [];
  let phase = "choose", phaseSince = 0, side = "left", position = "seated";
  let neutral = null, lastNeutral = null, trials = [], gotSensor = false, listening = false;

  const show = (step) => {
    for (const id of ["step-choose", "step-strap", "step-measure", "step-done"]) $(id).hidden = id !== step;
  };
  const say = (text) => { $("incl-step").textContent = text; };
  const status = (text, warn) => {
    const s = $("incl-status");
    if (s.textContent !== (text || "")) s.textContent = text || "";
    s.classList.toggle("warn", !!warn);
  };
  const live = (text) => { const l = $("incl-live"); l.hidden = text === null; if (text !== null) l.textContent = text; };
  function setPhase(next) {
    phase = next; phaseSince = performance.now();
    root.dataset.phase = next; root.dataset.done = String(trials.length);
    document.querySelectorAll("#trial-progress li").forEach((li, i) => {
      li.classList.toggle("done", i < trials.length);
      li.classList.toggle("current", i === trials.length && (next === "neutral" || next === "end"));
    });
  }

  const tilt = (g) => Math.atan2(-g.x, -g.y) * 180 / Math.PI;
  const turnFrom = (base, g) => { let a = tilt(g) - tilt(base); if (a > 180) a -= 360; if (a <= -180) a += 360; return a; };
  const magnitude = (g) => Math.hypot(g.x, g.y, g.z);

  // Mean and largest per-axis standard deviation of the last `ms`; null without enough data.
  function steady(ms, now) {
    const w = samples.filter((s) => s.t >= now - ms);
    if (w.length < 5 || w[0].t > now - ms * 0.8) return null;
    const mean = { x: 0, y: 0, z: 0 };
    for (const s of w) { mean.x += s.x / w.length; mean.y += s.y / w.length; mean.z += s.z / w.length; }
    let sd = 0;
    for (const k of ["x", "y", "z"]) sd = Math.max(sd, Math.sqrt(w.reduce((a, s) => a + (s[k] - mean[k]) ** 2, 0) / w.length));
    const still = sd <= STILL_SD && Math.abs(magnitude(mean) - G) <= 0.2 * G;
    return { mean, still };
  }

  function captureNeutral(now) {
    const w = steady(WINDOW_MS, now);
    if (!w || !w.still) { status("Hold still…", true); return false; }
    if (lastNeutral && Math.abs(turnFrom(lastNeutral, w.mean)) > BACK_TO_NEUTRAL) {
      status("Bring the foot back so the shin hangs straight down.", true);
      return false;
    }
    neutral = w.mean; lastNeutral = w.mean;
    if (navigator.vibrate) navigator.vibrate(80);
    status("Neutral recorded.");
    say("Now turn the foot outward as far as is comfortable, and hold it there.");
    setPhase("end");
    return true;
  }

  function captureEnd(now, held) {
    const w = steady(held, now);
    if (!w || !w.still) { status("Hold still at the end of the turn…", true); return false; }
    if (Math.abs(turnFrom(neutral, w.mean)) < MIN_TURN) { status("Turn the foot further outward.", true); return false; }
    // The held window was still; its mean is the end position.
    trials.push({ neutral, end: w.mean });
    if (navigator.vibrate) navigator.vibrate([80, 60, 80]);
    live(null);
    if (trials.length < TRIALS) {
      status(`Trial ${trials.length} recorded.`);
      say(`Trial ${trials.length + 1} of ${TRIALS}: bring the foot back so the shin hangs straight down, and hold still.`);
      setPhase("neutral");
    } else {
      send();
    }
    return true;
  }

  function tick(now) {
    if (phase === "neutral") {
      if (now - phaseSince < SETTLE_MS) return;
      const w = steady(WINDOW_MS, now);
      if (w && !w.still) status("Hold still…", true);
      else if (w) captureNeutral(now);
    } else if (phase === "end") {
      const recent = steady(150, now);
      if (recent) live(Math.round(Math.abs(turnFrom(neutral, recent.mean))) + "°");
      const w = steady(END_HOLD_MS, now);
      if (!w) return;
      if (w.still && Math.abs(turnFrom(neutral, w.mean)) >= MIN_TURN) captureEnd(now, END_HOLD_MS);
      else if (!w.still && recent && Math.abs(turnFrom(neutral, recent.mean)) >= MIN_TURN) status("Hold still when you reach the end.");
    }
  }

  function onMotion(event) {
    const g = event.accelerationIncludingGravity;
    if (!g || typeof g.x !== "number" || typeof g.y !== "number" || typeof g.z !== "number") return;
    if (!Number.isFinite(g.x + g.y + g.z)) return;
    gotSensor = true;
    const now = performance.now();
    samples.push({ t: now, x: g.x, y: g.y, z: g.z });
    while (samples.length && samples[0].t < now - 2 * END_HOLD_MS) samples.shift();
    tick(now);
  }

  function noSensor(message) {
    show(null);
    $("incl-no-sensor").hidden = false;
    say("No motion sensor");
    if (message) status(message, true);
    setPhase("no-sensor");
  }

  async function start() {
    if (!("DeviceMotionEvent" in window)) { noSensor(); return; }
    if (typeof DeviceMotionEvent.requestPermission === "function") {
      try {
        if ((await DeviceMotionEvent.requestPermission()) !== "granted") {
          noSensor("Motion access was refused. Allow it for this site in the browser's settings, then reload.");
          return;
        }
      } catch (_) {
        noSensor("The browser did not allow motion access.");
        return;
      }
    }
    if (!listening) { window.addEventListener("devicemotion", onMotion); listening = true; }
    trials = []; lastNeutral = null; samples = [];
    show("step-measure");
    say(`Trial 1 of ${TRIALS}: let the shin hang straight down, and hold still.`);
    status("");
    setPhase("neutral");
    setTimeout(() => { if (!gotSensor) noSensor(); }, SENSOR_WAIT_MS);
  }

  function keepOffline(key) {
    say("Kept on this device");
    $("incl-result").textContent = "No connection: the reading is kept on this device and sent when the connection is back.";
    status("");
    show("step-done");
    setPhase("done");
    if (listening) { window.removeEventListener("devicemotion", onMotion); listening = false; }
    window.HipcoachReadings.keepAndSend("/api/measurements/inclinometer", { side, position, trials }, `${side}, ${position}, phone`, (s) => {
      $("incl-result").textContent = s.state === "saved" ? `${s.body.reading}: ${s.body.band}.` : window.HipcoachRecords.statusWords(s);
    }, key);
  }

  async function send() {
    setPhase("sending");
    say("Saving…");
    const token = document.querySelector("meta[name=csrf-token]")?.content || "";
    // One key from the first try: a reply lost after the server stored it is not a second reading.
    const key = window.HipcoachReadings.newKey();
    try {
      let response;
      try {
        response = await fetch("/api/measurements/inclinometer", {
          method: "POST",
          headers: { "content-type": "application/json", "x-csrf-token": token },
          body: JSON.stringify({ side, position, trials, key }),
        });
      } catch (_) {
        // No connection: the reading waits on this device and is sent when it is back.
        keepOffline(key);
        return;
      }
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(body.error || `the server answered ${response.status}`);
      say("Saved");
      $("incl-result").textContent = `${body.reading}: ${body.band}. Trials ${body.trials.map((t) => t + "°").join(", ")}; the middle one is kept.`;
      status("");
      show("step-done");
      setPhase("done");
      if (listening) { window.removeEventListener("devicemotion", onMotion); listening = false; }
    } catch (error) {
      say("Not saved");
      status(`${error.message}. Press Start to measure again.`, true);
      trials = [];
      show("step-strap");
      setPhase("strap");
    }
  }

  $("incl-next").addEventListener("click", () => {
    side = root.querySelector("input[name=side]:checked")?.value || "left";
    position = root.querySelector("input[name=position]:checked")?.value || "seated";
    for (const d of root.querySelectorAll("details[data-position]")) d.open = d.dataset.position === position;
    say(`Strap the phone to your ${side} shin.`);
    show("step-strap");
    setPhase("strap");
  });
  $("incl-start").addEventListener("click", start);
  $("incl-record").addEventListener("click", () => {
    const now = performance.now();
    if (phase === "neutral") captureNeutral(now);
    else if (phase === "end") captureEnd(now, WINDOW_MS);
  });
  setPhase("choose");
})();
