// Analyses a recorded video in this browser: MediaPipe's pose model (pose.js) finds the person
// frame by frame, and the keypoints go to the
// Rust analyser in engine.wasm, the one `hipcoach analyze` runs. Nothing here decides anything
// about the measurement: the words and numbers shown are the engine's. The video never leaves
// the device; saving sends only the estimate.
(() => {
  "use strict";
  const root = document.getElementById("clip");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const POSE = root.dataset.pose;
  /** Frames analysed per second of video: a turn takes a second or more, so 15 catch it well. */
  const RATE = 15;
  /** The longest clip analysed in the page (the engine takes up to 16 MB of keypoints). */
  const MAX_SECONDS = 180;
  /** How long one frame may take to be found in the video before the file is called unreadable. */
  const SEEK_MS = 10_000;

  let landmarker = null;
  let stopping = false;
  let lastResult = null;

  /** A fresh pose model for each clip: nothing may carry over from the last one. */
  async function newLandmarker() {
    if (landmarker) landmarker.close();
    landmarker = null;
    landmarker = await window.HipcoachPose.newLandmarker(POSE);
    return landmarker;
  }

  /** Resolves when `target` fires `name`; rejects on its error event or after `ms`. */
  const once = (target, name, ms = 30_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(reject, new Error("timeout")), ms);
    const finish = (settle, value) => {
      clearTimeout(timer);
      target.removeEventListener(name, done);
      target.removeEventListener("error", fail);
      settle(value);
    };
    const done = () => finish(resolve);
    const fail = () => finish(reject, new Error("error"));
    target.addEventListener(name, done);
    target.addEventListener("error", fail);
  });

  /** Says `text` to a screen reader once (progress is announced every tenth, not every frame). */
  const announce = (text) => { $("clip-announce").textContent = text; };

  function showError(text) {
    $("clip-error").textContent = text;
    $("clip-error").hidden = false;
  }

  async function analyse(file, side, test) {
    $("clip-error").hidden = true;
    $("clip-result").hidden = true;
    $("clip-working").hidden = false;
    $("clip-analyse").disabled = true;
    $("clip-step").textContent = "Loading the pose model…";
    $("clip-progress").removeAttribute("value");
    $("clip-rate").textContent = "";
    stopping = false;
    const url = URL.createObjectURL(file);
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.preload = "auto";
    try {
      const [model, engine] = await Promise.all([
        newLandmarker().catch(() => { throw new Error("The pose model could not be loaded in this browser. Try a recent Chrome, Edge, Firefox or Safari."); }),
        window.HipcoachEngine.load(),
      ]);
      video.src = url;
      await once(video, "loadeddata").catch(() => {
        throw new Error("This browser cannot play this video (an iPhone's HEVC video, perhaps). Film in the most compatible format, or run hipcoach analyze on a computer.");
      });
      if (!video.videoWidth || !video.videoHeight) throw new Error("This file has no picture in it (is it a sound recording?).");
      const duration = video.duration;
      if (!Number.isFinite(duration) || duration <= 0) throw new Error("This video has no length the browser can read.");
      if (duration > MAX_SECONDS) throw new Error(`This video is ${Math.round(duration)} seconds long; the page analyses up to ${MAX_SECONDS / 60} minutes. Cut it, or run hipcoach analyze on a computer.`);
      const total = Math.max(1, Math.floor(duration * RATE));
      const progress = $("clip-progress");
      progress.max = total;
      progress.value = 0;
      const frames = [];
      const started = performance.now();
      let told = 0;
      announce(`Finding you in ${total} frames.`);
      for (let i = 0; i < total && !stopping; i++) {
        const t = i / RATE;
        video.currentTime = t;
        await once(video, "seeked", SEEK_MS).catch(() => {
          throw new Error(`The video could not be read at ${t.toFixed(1)} seconds; it may be damaged. Try another copy, or hipcoach analyze on a computer.`);
        });
        const result = model.detectForVideo(video, Math.round(t * 1000));
        frames.push({ t_ms: Math.round(t * 1000), keypoints: window.HipcoachPose.keypoints(result.landmarks[0]) });
        progress.value = i + 1;
        const rate = (i + 1) / ((performance.now() - started) / 1000);
        $("clip-step").textContent = `Finding you in frame ${i + 1} of ${total}`;
        $("clip-rate").textContent = `${rate.toFixed(0)} frames a second, about ${Math.ceil((total - i - 1) / rate)} s left`;
        const tenth = Math.floor(((i + 1) / total) * 10);
        if (tenth > told && tenth < 10) { told = tenth; announce(`${tenth * 10} % done.`); }
      }
      if (stopping) { announce("Stopped."); $("clip-saved").textContent = ""; showError("Stopped: nothing was measured. Choose a video and press Analyse to start again."); return; }
      const recording = {
        format: "hipcoach-keypoints", version: 1, layout: "blazepose-33",
        image: { width: video.videoWidth, height: video.videoHeight }, frames,
      };
      $("clip-step").textContent = "Measuring…";
      const summary = engine.analyse(JSON.stringify(recording), { test, side, calibrate: true });
      show(summary, test, file.name, (performance.now() - started) / 1000);
    } catch (error) {
      showError(error.message);
    } finally {
      $("clip-working").hidden = true;
      $("clip-analyse").disabled = false;
      URL.revokeObjectURL(url);
      video.removeAttribute("src");
      video.load();
    }
  }

  const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

  function show(summary, test, name, seconds) {
    const main = summary.sides[0];
    lastResult = { main, test };
    // Neither side seen: one heading and one reason, not the same sentence twice.
    const nothing = summary.sides.every((s) => s.measured_frames === 0);
    $("clip-heading").textContent = nothing ? "Not measured" : `${capital(main.side)} hip${summary.sides.length > 1 && main.estimate ? " (turned most)" : ""}`;
    $("clip-outcome").textContent = `${capital(main.outcome)}.`;
    $("clip-trials").textContent = main.estimate
      ? `From the peaks of the last ${plural(main.estimate.trials_degrees.length, "rep")}: ${main.estimate.trials_degrees.map((t) => t + "°").join(", ")}.`
      : "";
    $("clip-validation").hidden = !main.estimate;
    const details = $("clip-details");
    details.replaceChildren();
    const item = (text) => { const li = document.createElement("li"); li.textContent = text; details.append(li); };
    item(`${summary.calibration}`);
    item(`Measured in ${main.measured_frames} of ${summary.frames} frames (${name}, ${(summary.duration_ms / 1000).toFixed(1)} s, analysed in ${seconds.toFixed(0)} s on this device).`);
    // When nothing was measured the outcome already gave the main reason.
    const reasons = main.measured_frames === 0 ? main.not_measured.slice(1, 3) : main.not_measured.slice(0, 3);
    for (const refused of reasons) item(`Not measured in ${plural(refused.frames, "frame")}: ${refused.reason}.`);
    if (main.estimate) {
      const holds = main.holds.map((h) => ((h.end_ms - h.start_ms) / 1000).toFixed(1) + " s");
      item(`Reps: ${main.reps.length}; holds at end range: ${holds.length ? holds.join(", ") : "none"}.`);
      for (const cue of main.form.slice(0, 5)) item(`At ${(cue.t_ms / 1000).toFixed(1)} s: ${cue.cue}.`);
    }
    const other = summary.sides[1];
    $("clip-other").textContent = other && !nothing ? `${capital(other.side)} hip: ${other.outcome}.` : "";
    $("clip-figure").hidden = main.measured_frames === 0;
    if (main.measured_frames > 0) chart(summary, main.side);
    const canSave = main.estimate && main.estimate.trials_degrees.length === 3;
    $("clip-save-row").hidden = !canSave;
    $("clip-save").disabled = false;
    $("clip-saved").textContent = canSave ? "" : (main.estimate ? "A reading needs three reps: film three turns, each back to the start." : "");
    $("clip-result").hidden = false;
    announce("");
    $("clip-heading").focus();
  }

  /** The angle over time, frames not measured shaded: an SVG drawn from the engine's series. */
  function chart(summary, side) {
    const NS = "http://www.w3.org/2000/svg";
    const W = 640, H = 300, left = 60, right = 12, top = 14, bottom = 40;
    const series = summary.series;
    const end = Math.max(1, series.length ? series[series.length - 1].t_ms : 1);
    const angles = series.map((f) => f[side].degrees).filter((d) => d !== undefined);
    const high = Math.max(30, ...angles.map((a) => a + 5)), low = Math.min(0, ...angles.map((a) => a - 5));
    const x = (t) => left + (t / end) * (W - left - right);
    const y = (d) => top + ((high - d) / (high - low)) * (H - top - bottom);
    const el = (tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      return node;
    };
    const main = summary.sides[0];
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "clip-chart-title", class: "clip-chart" });
    svg.append(el("title", { id: "clip-chart-title" }, `${capital(side)} hip's rotation over ${(end / 1000).toFixed(0)} seconds: ${main.outcome}; shaded where it could not be measured.`));
    // Shade each stretch the side was not measured.
    let from = null;
    series.forEach((f, i) => {
      const refused = f[side].degrees === undefined;
      if (refused && from === null) from = f.t_ms;
      const last = i === series.length - 1;
      if (from !== null && (!refused || last)) {
        svg.append(el("rect", { x: x(from), y: top, width: Math.max(2, x(f.t_ms) - x(from)), height: H - top - bottom, class: "refused" }));
        from = null;
      }
    });
    const step = high - low > 60 ? 20 : 10;
    for (let d = Math.ceil(low / step) * step; d <= high; d += step) {
      svg.append(el("line", { x1: left, x2: W - right, y1: y(d), y2: y(d), class: d === 0 ? "axis" : "grid" }));
      svg.append(el("text", { x: left - 8, y: y(d) + 7, "text-anchor": "end" }, `${d}°`));
    }
    for (let s = 0; s <= end / 1000; s += Math.max(1, Math.round(end / 4000))) {
      svg.append(el("text", { x: x(s * 1000), y: H - 10, "text-anchor": "middle" }, `${s} s`));
    }
    // The line, broken where not measured.
    let path = "", pen = false;
    for (const f of series) {
      const d = f[side].degrees;
      if (d === undefined) { pen = false; continue; }
      path += `${pen ? "L" : "M"}${x(f.t_ms).toFixed(1)},${y(d).toFixed(1)}`;
      pen = true;
    }
    svg.append(el("path", { d: path, class: "angle" }));
    if (main.estimate) svg.append(el("line", { x1: left, x2: W - right, y1: y(main.estimate.degrees), y2: y(main.estimate.degrees), class: "estimate" }));
    const figure = $("clip-figure");
    figure.replaceChildren(svg);
    const caption = document.createElement("figcaption");
    caption.textContent = "The hip's rotation over time; shaded where it could not be measured" + (main.estimate ? "; the dashed line is the estimate." : ".");
    figure.append(caption);
  }

  $("clip-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const file = $("clip-file").files[0];
    if (!file) { showError("Choose a video first."); return; }
    const side = root.querySelector("input[name=side]:checked")?.value || "auto";
    const test = root.querySelector("input[name=position]:checked")?.value || "seated";
    analyse(file, side, test);
  });
  $("clip-stop").addEventListener("click", () => { stopping = true; });
  $("clip-save").addEventListener("click", () => {
    if (!lastResult?.main.estimate) return;
    const { main, test } = lastResult;
    window.HipcoachReadings.saveCameraEstimate(main.side, test, main.estimate, $("clip-save"), $("clip-saved"));
  });
})();
