// Session records kept on this device until the server has them: a finished session whose
// answer never came (no network, a server restart) and a session left part-way. They wait in
// the page's storage, under the account they belong to, and are sent with the same key until
// the server confirms, so a record is stored exactly once however often it is sent. No rule
// about sessions lives here: the server replays each log through the engine.
(() => {
  "use strict";
  const STORE = "hipcoach.records";
  const user = document.querySelector("meta[name=hipcoach-user]")?.content || "";
  const csrf = document.querySelector("meta[name=csrf-token]")?.content || "";
  const read = () => {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (_) { return []; }
  };
  const write = (records) => {
    try { localStorage.setItem(STORE, JSON.stringify(records)); return true; } catch (_) { return false; }
  };
  /** Keeps (or updates) a record; false when the browser would not store it. */
  const keep = (record) => write(read().filter((r) => r.key !== record.key).concat([{ ...record, user }]));
  const forget = (key) => write(read().filter((r) => r.key !== key));
  /** This account's records, oldest first. */
  const mine = () => read().filter((r) => r.user === user);
  /** The device's calendar day, as the server reads it (YYYY-MM-DD). */
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };
  const dayWords = (day) =>
    new Date(day + "T12:00:00").toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });

  /** One try: `{ ok, body }`, or `{ ok: false, retry, error }` (retry: the fault may pass). */
  async function send(record) {
    let response;
    try {
      response = await fetch("/api/sessions", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({
          key: record.key, exercise: record.exercises, log: record.log, pain_before: record.pain_before, day: record.day,
        }),
      });
    } catch (_) {
      return { ok: false, retry: true, error: "There is no connection to the server." };
    }
    let body = {};
    try { body = await response.json(); } catch (_) { body = { error: "The server's answer could not be read." }; }
    if (response.ok) { forget(record.key); return { ok: true, body }; }
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    if (!retry) forget(record.key);
    return { ok: false, retry, error: body.error || `The server answered ${response.status}.` };
  }

  /** Sends until stored: after 2, 4, 8 … up to 60 s between tries, and at once when the network
   * comes back or `now()` is called. `report` hears "saving", "waiting" (with the reason and the
   * seconds to the next try), "saved" (with the server's answer) or "refused" (with the reason). */
  function sendUntilStored(record, report) {
    let wait = 2, timer = null, busy = false, done = false;
    const attempt = async () => {
      if (busy || done) return;
      busy = true; clearTimeout(timer);
      report({ state: "saving" });
      const result = await send(record);
      busy = false;
      if (result.ok) { done = true; report({ state: "saved", body: result.body }); return; }
      if (!result.retry) { done = true; report({ state: "refused", error: result.error }); return; }
      report({ state: "waiting", error: result.error, seconds: wait });
      timer = setTimeout(attempt, wait * 1000);
      wait = Math.min(60, wait * 2);
    };
    window.addEventListener("online", attempt);
    attempt();
    return { now: attempt };
  }

  /** In words, for a status line. */
  function statusWords(status) {
    switch (status.state) {
      case "saving": return "Saving…";
      case "saved": return "Saved ✓";
      case "waiting": return `Not saved yet: ${status.error} It is kept on this device and sent again in ${status.seconds} s.`;
      case "refused": return `Not saved: ${status.error}`;
      default: return "";
    }
  }

  window.HipcoachRecords = { keep, forget, mine, today, dayWords, sendUntilStored, statusWords };

  // Today and History list what this device still holds, and send what is finished.
  const list = document.getElementById("kept-records");
  if (!list) return;
  const button = (text, kind) => {
    const b = document.createElement(kind === "link" ? "a" : "button");
    b.textContent = text;
    if (kind === "link") b.className = "button"; else b.type = "button";
    if (kind === "primary") b.className = "primary";
    return b;
  };
  for (const record of mine()) {
    list.hidden = false;
    const item = document.createElement("div");
    item.className = "kept";
    const what = document.createElement("p");
    const status = document.createElement("p");
    status.setAttribute("role", "status");
    const actions = document.createElement("p");
    item.append(what, status, actions);
    list.append(item);
    const saveNow = () => {
      actions.replaceChildren();
      sendUntilStored(record, (s) => {
        status.textContent = statusWords(s);
        if (s.state === "saved") {
          const link = document.createElement("a");
          link.href = `/history/${s.body.id}`;
          link.textContent = "See the session";
          actions.replaceChildren(link);
        }
      });
    };
    if (record.state === "finished") {
      what.textContent = `Your session of ${dayWords(record.day)} (${record.names}) did not reach the server.`;
      saveNow();
      continue;
    }
    what.textContent = `You left a session part-way through on ${dayWords(record.day)} (${record.names}).`;
    if (record.day === today()) {
      const resume = button("Go on with it", "link");
      const query = new URLSearchParams(record.exercises.map((e) => ["exercise", e]));
      query.append("resume", record.key);
      resume.href = `/session?${query}`;
      actions.append(resume, " ");
    }
    const save = button("Save what you did", "primary");
    save.addEventListener("click", saveNow);
    const discard = button("Discard it");
    discard.addEventListener("click", () => {
      if (!confirm("Discard this session? What you did in it will not be saved.")) return;
      forget(record.key);
      item.remove();
      list.hidden = mine().length === 0;
    });
    actions.append(save, " ", discard);
  }
})();
