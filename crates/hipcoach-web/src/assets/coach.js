// The camera coach in the guided session. The pose model (pose.js) reads each picture on the
// device; its keypoints go to the camera coach in engine.wasm, which says what it saw (a rep, the
// leg at or away from end range, a hiking pelvis). Those go into the session's log through the
// player, exactly as a tap on a button does, and the same Rust engine decides what they mean.
// This file moves frames and words, and keeps the engine told whether the camera is watching.
(() => {
  "use strict";
  const root = document.getElementById("coach");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const POSE = root.dataset.pose;
  const session = JSON.parse(document.getElementById("player").dataset.session);
  // The position it calibrates in before the first watched set: the first exercise it can watch.
  const firstPosition = (session.items.find((item) => item.camera) || {}).camera || "seated";

  let stream = null, landmarker = null, running = false, started = 0;
  // What the engine was last told: is the camera watching? (null: nothing told yet)
  let told = null;
  // Speed, for the page's own record (the browser test reads it).
  const speed = { frames: 0, poseMs: 0, engineMs: 0 };

  const player = () => window.HipcoachPlayer;
  const tell = (event) => player().send({ type: "camera", value: event });

  function showError(text) {
    $("coach-error").textContent = text;
    $("coach-error").hidden = !text;
  }

  /** The engine's words as a sentence: a capital first, a full stop last. */
  const sentence = (text) => {
    const capital = text.charAt(0).toUpperCase() + text.slice(1);
    return capital.endsWith(".") ? capital : `${capital}.`;
  };

  /** Switches the camera off; the timer paces every set again. */
  function stop(why) {
    running = false;
    window.HipcoachPose.closeCamera($("coach-video"), stream);
    stream = null;
    if (landmarker) landmarker.close();
    landmarker = null;
    $("coach-on").checked = false;
    $("coach-live").hidden = true;
    if (told && player()?.started()) tell({ type: "off" });
    told = null;
    showError(why || "");
  }

  async function loop(engine) {
    const video = $("coach-video");
    while (running) {
      await window.HipcoachPose.nextFrame(video);
      if (!running) return;
      const playing = player();
      const screen = playing?.screen();
      if (screen && screen.state === "finished") { stop(); return; }
      const watch = screen?.camera || null;
      const t0 = performance.now();
      const found = landmarker.detectForVideo(video, t0);
      const t1 = performance.now();
      const frame = window.HipcoachPose.cameraFrame(video, found, Math.round(t1 - started));
      const seen = engine.coachFrame(frame, { test: watch ? watch.position : firstPosition, watch, width: video.videoWidth, height: video.videoHeight });
      const t2 = performance.now();
      speed.frames += 1; speed.poseMs += t1 - t0; speed.engineMs += t2 - t1;
      root.dataset.speed = JSON.stringify({ frames: speed.frames, fps: speed.frames / ((t2 - started) / 1000), poseMs: speed.poseMs / speed.frames, engineMs: speed.engineMs / speed.frames });
      $("coach-say").textContent = seen.say;
      $("coach-fix").textContent = seen.fix ? sentence(seen.fix) : "";
      $("coach-angle").textContent = seen.degrees === null || seen.degrees === undefined ? "" : `${seen.degrees}°`;
      if (!playing?.started()) continue;
      if (!playing.cameraRoom()) {
        stop("The camera has counted as much as one session can keep: the timer paces the rest of this one.");
        return;
      }
      if (seen.watching !== told) {
        told = seen.watching;
        tell({ type: told ? "on" : "off" });
      }
      for (const event of seen.events) if (event.type !== "on" && event.type !== "off") tell(event);
    }
  }

  async function start() {
    showError("");
    $("coach-on").disabled = true;
    $("coach-say").textContent = "Starting the camera…";
    $("coach-live").hidden = false;
    try {
      const [engine, model] = await Promise.all([window.HipcoachEngine.load(), window.HipcoachPose.newLandmarker(POSE)]);
      landmarker = model;
      stream = await window.HipcoachPose.openCamera($("coach-video"));
      engine.coachReset();
      running = true;
      started = performance.now();
      loop(engine).catch((error) => stop(error.message));
    } catch (error) {
      stop(error.message);
    } finally {
      $("coach-on").disabled = false;
    }
  }

  $("coach-on").addEventListener("change", () => ($("coach-on").checked ? start() : stop()));
  $("coach-recalibrate").addEventListener("click", async () => {
    (await window.HipcoachEngine.load()).coachReset();
  });
  window.addEventListener("pagehide", () => stop());
})();
