// hipcoach's Rust engine in the page: engine.wasm, built from crates/hipcoach-wasm by
// scripts/build-wasm. The same session rules the server replays run here, so a tap needs no
// request and a session runs with no network; the camera's keypoints go to the same analyser
// `hipcoach analyze` runs. This file only moves JSON across the boundary:
// it asks the module for room, writes the request, calls the entry point, reads the answer.
(() => {
  "use strict";
  let loading = null;

  async function instantiate() {
    try {
      return (await WebAssembly.instantiateStreaming(fetch("/assets/engine.wasm"), {})).instance;
    } catch (_) {
      // A server or cache that loses the wasm type: compile from the bytes instead.
      const bytes = await (await fetch("/assets/engine.wasm")).arrayBuffer();
      return (await WebAssembly.instantiate(bytes, {})).instance;
    }
  }

  /** The engine, loaded once: `{ timeline(request), analyse(keypointFileText, options),
   * liveStart(options), liveFrame(frame), coachFrame(frame, options), coachReset() }`; each entry
   * throws with the engine's reason. */
  function load() {
    loading = loading || instantiate().then((instance) => {
      const wasm = instance.exports;
      const encoder = new TextEncoder(), decoder = new TextDecoder();
      const call = (entry, text, ...args) => {
        const bytes = encoder.encode(text);
        const at = wasm.input(bytes.length);
        if (!at) throw new Error(entry === "timeline" ? "this session is too large for the page's engine" : "this recording is too long to analyse in the page; cut it into clips of a minute or two");
        new Uint8Array(wasm.memory.buffer, at, bytes.length).set(bytes);
        const ok = wasm[entry](...args);
        const answer = JSON.parse(decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.output_ptr(), wasm.output_len())));
        if (!ok) throw new Error(answer.error);
        return answer;
      };
      const TESTS = { seated: 0, prone: 1 }, SIDES = { auto: 0, left: 1, right: 2 };
      const code = (table, name, what) => {
        if (!(name in table)) throw new Error(`${name} is not a ${what}`);
        return table[name];
      };
      return {
        timeline: (request) => call("timeline", JSON.stringify(request)),
        analyse: (file, { test = "seated", side = "auto", calibrate = true } = {}) =>
          call("analyse", file, code(TESTS, test, "test"), code(SIDES, side, "side"), calibrate ? 1 : 0),
        liveStart: ({ test, side, width, height }) =>
          call("live_start", "", code(TESTS, test, "test"), code(SIDES, side, "side"), width, height),
        liveFrame: (frame) => call("live_frame", JSON.stringify(frame)),
        // The guided session's camera coach: `watch` is the screen's camera field (null between sets).
        coachFrame: (frame, { test, watch, width, height }) =>
          call("coach_frame", JSON.stringify(frame), code(TESTS, test, "test"),
            watch ? code(SIDES, watch.side, "side") : 0, watch && watch.task === "hold" ? 1 : 0, width, height),
        coachReset: () => call("coach_reset", ""),
      };
    });
    return loading;
  }

  window.HipcoachEngine = { load };
})();
