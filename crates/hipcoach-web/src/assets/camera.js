// Measuring with the live camera. The pose model (pose.js) reads each picture on the device; its
// keypoints go to the live test in engine.wasm, which decides everything the page shows: what to
// fix, when it has calibrated, each counted turn, the estimate. This file only moves frames and
// words, speaks the instructions if asked, and saves the result.
(() => {
  "use strict";
  const root = document.getElementById("camera");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const POSE = root.dataset.pose;

  let stream = null, landmarker = null, running = false, started = 0, lastSaid = "", lastSpoken = 0;
  let side = "left", test = "seated", result = null;
  // Speed, for the page's own record (the browser test reads it): frames and time per stage.
  const speed = { frames: 0, poseMs: 0, engineMs: 0 };

  function showError(text) {
    $("camera-error").textContent = text;
    $("camera-error").hidden = false;
  }

  /** Speaks a new instruction (at most every 2.5 s for the same kind), when asked to. */
  function speak(text) {
    if (!$("camera-voice").checked || !window.speechSynthesis || !text || text === lastSaid) return;
    const now = performance.now();
    if (now - lastSpoken < 2500) return;
    lastSaid = text;
    lastSpoken = now;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function stop() {
    running = false;
    window.HipcoachPose.closeCamera($("camera-video"), stream);
    stream = null;
    if (landmarker) landmarker.close();
    landmarker = null;
    window.speechSynthesis?.cancel();
  }

  /** The engine's words as a sentence: a capital first, a full stop last. */
  const sentence = (text) => {
    const capital = text.charAt(0).toUpperCase() + text.slice(1);
    return capital.endsWith(".") ? capital : `${capital}.`;
  };

  function show(screen) {
    $("camera-say").textContent = screen.say;
    $("camera-fix").textContent = screen.fix ? sentence(screen.fix) : "";
    $("camera-angle").textContent = screen.degrees === null || screen.degrees === undefined ? "" : `${screen.degrees}°`;
    for (const [i, li] of [...$("camera-trials").children].entries()) {
      const taken = screen.trials_degrees[i];
      li.textContent = taken === undefined ? `Trial ${i + 1}` : `Trial ${i + 1}: ${taken}°`;
      li.className = taken === undefined ? "" : "done";
    }
    speak(screen.fix || screen.say);
    if (screen.stage === "done") finish(screen);
  }

  function finish(screen) {
    stop();
    result = screen.estimate;
    $("camera-live").hidden = true;
    $("camera-result").textContent = `${side.charAt(0).toUpperCase() + side.slice(1)} hip: ${screen.result}`;
    $("camera-trials-done").textContent = `Three turns: ${result.trials_degrees.map((t) => t + "°").join(", ")}; the middle one is kept.`;
    $("camera-done").hidden = false;
    $("camera-result").focus();
    speak(`${side} hip: ${screen.result.replace("±", "plus or minus ")}`);
  }

  async function loop(engine) {
    const video = $("camera-video");
    while (running) {
      await window.HipcoachPose.nextFrame(video);
      if (!running) return;
      const t0 = performance.now();
      const found = landmarker.detectForVideo(video, t0);
      const t1 = performance.now();
      const screen = engine.liveFrame(window.HipcoachPose.cameraFrame(video, found, Math.round(t1 - started)));
      const t2 = performance.now();
      speed.frames += 1; speed.poseMs += t1 - t0; speed.engineMs += t2 - t1;
      root.dataset.speed = JSON.stringify({ frames: speed.frames, fps: speed.frames / ((t2 - started) / 1000), poseMs: speed.poseMs / speed.frames, engineMs: speed.engineMs / speed.frames });
      show(screen);
    }
  }

  $("camera-start").addEventListener("click", async () => {
    side = root.querySelector("input[name=side]:checked")?.value || "left";
    test = root.querySelector("input[name=position]:checked")?.value || "seated";
    $("camera-error").hidden = true;
    $("camera-start").disabled = true;
    $("camera-say").textContent = "Starting the camera…";
    try {
      const [engine, model] = await Promise.all([window.HipcoachEngine.load(), window.HipcoachPose.newLandmarker(POSE)]);
      landmarker = model;
      const video = $("camera-video");
      stream = await window.HipcoachPose.openCamera(video);
      engine.liveStart({ test, side, width: video.videoWidth, height: video.videoHeight });
      $("camera-choose").hidden = true;
      $("camera-live").hidden = false;
      running = true;
      started = performance.now();
      loop(engine).catch((error) => { stop(); showError(error.message); });
    } catch (error) {
      stop();
      showError(error.message);
      $("camera-say").textContent = "";
    } finally {
      $("camera-start").disabled = false;
    }
  });
  $("camera-stop").addEventListener("click", () => {
    stop();
    $("camera-live").hidden = true;
    $("camera-choose").hidden = false;
    showError("Stopped: nothing was measured or kept.");
  });
  $("camera-save").addEventListener("click", () => {
    if (result) window.HipcoachReadings.saveCameraEstimate(side, test, result, $("camera-save"), $("camera-saved"));
  });
  window.addEventListener("pagehide", stop);
})();
