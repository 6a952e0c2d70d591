// Readings entered without a connection: the measure page's form and the phone inclinometer keep
// the reading on this device (records.js) under a key of its own and send it when the connection
// is back; the server stores it once, on the day it was taken. With the server in reach, the form
// posts as usual and the server's page answers, with its checks and messages.
(() => {
  "use strict";
  const records = window.HipcoachRecords;
  if (!records) return;

  /** A new key for a reading: chosen before its first try, so that every resend is the same reading. */
  const newKey = () => "m-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);

  /** Keeps a reading for `url` with `body` under `key` and sends it until stored; `report`
   * hears each status. */
  async function keepAndSend(url, body, names, report, key = newKey()) {
    await records.ready;
    const record = { kind: "reading", key, url, body, names, day: records.today(), state: "finished" };
    const kept = await records.keep(record);
    if (!kept) { report({ state: "unkept", error: "this browser would not keep it; please write the trials down." }); return; }
    records.sendUntilStored(record, report);
  }
  /** Saves a camera estimate (`estimate`: the engine's degrees, plus_minus_degrees and
   * trials_degrees) from the clip or camera page: `button` waits while it is sent, `status` says
   * how it went. */
  function saveCameraEstimate(side, position, estimate, button, status) {
    button.disabled = true;
    const body = { side, position, trials: estimate.trials_degrees, plus_minus: estimate.plus_minus_degrees };
    keepAndSend("/api/measurements/camera", body, `${side}, ${position}, camera`, (s) => {
      status.textContent = s.state === "saved" ? `Saved: ${s.body.reading}.` : records.statusWords(s);
      if (s.state !== "saved" && s.state !== "saving" && s.state !== "waiting") button.disabled = false;
    });
  }
  window.HipcoachReadings = { keepAndSend, newKey, saveCameraEstimate };

  const form = document.querySelector("form[data-reading]");
  if (!form) return;
  const status = document.createElement("p");
  status.className = "save-status";
  status.setAttribute("role", "status");
  form.append(status);
  const submit = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    // With the server in reach the form posts as usual; without, the reading waits here.
    event.preventDefault();
    if (submit.disabled) return;
    if (await window.HipcoachOffline.reachable()) { form.submit(); return; }
    // Kept once: the button waits until it is stored (or refused), so a second tap is not a
    // second reading.
    submit.disabled = true;
    const data = new FormData(form);
    const trials = [1, 2, 3].map((i) => data.get(`trial${i}`)).map((v) => (v === null || v === "" ? null : Number(v)));
    const body = {
      side: data.get("side") || "", position: data.get("position") || "", method: data.get("method") || "",
      trials, rater: data.get("rater") || "same", measured_by: data.get("by") || null,
      hard_end_feel: data.get("hard-end-feel") === "yes",
    };
    const names = `${body.side || "no side chosen"}, ${body.position}, ${trials.map((t) => (t === null ? "—" : t + "°")).join(", ")}`;
    keepAndSend(form.dataset.reading, body, names, (s) => {
      status.textContent = records.statusWords(s);
      status.className = "save-status " + s.state;
      if (s.state === "saved") form.reset();
      if (s.state !== "saving" && s.state !== "waiting") submit.disabled = false;
    });
  });
})();
