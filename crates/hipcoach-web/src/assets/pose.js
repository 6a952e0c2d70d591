// The pose model in the page, shared by the recorded-clip and live-camera pages: MediaPipe's
// tasks-vision (pinned 0.10.35) and BlazePose GHUM full, both served by hipcoach from the folder
// the page names in data-pose, run on the device's CPU. Frames never leave the device; only the
// keypoints go on, to the Rust analyser in engine.wasm.
(() => {
  "use strict";

  /** A fresh landmarker in video mode (its frame times only go forward, and it tracks the person
   * from frame to frame, so each clip or camera session gets its own). */
  async function newLandmarker(folder) {
    const vision = await import(`${folder}/vision_bundle.mjs`);
    const files = { wasmLoaderPath: `${folder}/vision_wasm_internal.js`, wasmBinaryPath: `${folder}/vision_wasm_internal.wasm` };
    return vision.PoseLandmarker.createFromOptions(files, {
      baseOptions: { modelAssetPath: `${folder}/pose_landmarker_full.task`, delegate: "CPU" },
      runningMode: "VIDEO",
      numPoses: 1,
    });
  }

  /** A number within `low`–`high`; not a number becomes `low`. */
  const bounded = (value, low, high) => (Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low);

  /** One frame's 33 landmarks as a keypoint file writes them (x, y, visibility, depth), kept within
   * what the engine accepts; no person gives 33 hidden points, which the analyser reports as unseen. */
  function keypoints(landmarks) {
    if (!landmarks) return Array.from({ length: 33 }, () => [0, 0, 0]);
    return landmarks.map((p) => [
      bounded(p.x, -0.5, 1.5), bounded(p.y, -0.5, 1.5), bounded(p.visibility ?? 0, 0, 1), bounded(p.z, -10, 10),
    ]);
  }

  /** Opens the device's camera into `video` (front camera, 640 × 480 if it can) and plays it;
   * throws with what to do when the page may not or cannot use one. */
  async function openCamera(video) {
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new Error("This page cannot use a camera here: cameras need this computer's own address (localhost) or HTTPS. Start hipcoach with serve --tls to use a phone's camera.");
    }
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .catch(() => { throw new Error("The camera could not be opened: allow this page to use it, or check that no other app is using it."); });
    video.srcObject = stream;
    await video.play();
    return stream;
  }

  /** Stops a camera opened by openCamera. */
  function closeCamera(video, stream) {
    if (stream) for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }

  /** Resolves at the video's next new frame. */
  const nextFrame = (video) => new Promise((resolve) =>
    (video.requestVideoFrameCallback ? video.requestVideoFrameCallback(() => resolve()) : requestAnimationFrame(() => resolve())));

  /** The picture's mean brightness, 0 black to 1 white, from a 32 × 24 copy, read twice a
   * second (light changes slowly; reading pixels back costs a few milliseconds). The engine
   * says when it is too dark to measure; the page only measures it. */
  const small = document.createElement("canvas");
  small.width = 32; small.height = 24;
  let light = { at: -Infinity, value: 0 };
  function brightness(video) {
    const now = performance.now();
    if (now - light.at < 500) return light.value;
    light = { at: now, value: measured(video) };
    return light.value;
  }
  function measured(video) {
    const context = small.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, small.width, small.height);
    const pixels = context.getImageData(0, 0, small.width, small.height).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    return Math.min(1, Math.max(0, sum / (255 * pixels.length / 4)));
  }

  /** One camera frame for the engine: its time, the landmarks the model found, and the picture's brightness. */
  const cameraFrame = (video, found, t_ms) => ({ t_ms, keypoints: keypoints(found.landmarks[0]), brightness: brightness(video) });

  window.HipcoachPose = { newLandmarker, keypoints, openCamera, closeCamera, nextFrame, cameraFrame };
})();
