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

  window.HipcoachPose = { newLandmarker, keypoints, openCamera, closeCamera, nextFrame };
})();
