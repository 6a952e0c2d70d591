// Records kept on this device until the server has them: a finished session whose answer never
// came (no network, a server restart), a session left part-way, and a reading entered offline.
// They wait in IndexedDB, under the account they belong to, and are sent with the same key until
// the server confirms, so a record is stored exactly once however often it is sent. An update of
// the app (a new service worker, new scripts) never touches them; records an older version kept
// in localStorage are moved here once. No rule about sessions lives here: the server replays each
// log through the engine.
(() => {
  "use strict";
  const LEGACY = "hipcoach.records";
  const user = document.querySelector("meta[name=hipcoach-user]")?.content || "";
  const csrf = document.querySelector("meta[name=csrf-token]")?.content || "";

  /** Every record on the device (all accounts), as last read or written: what `mine` answers. */
  let all = [];

  /** IndexedDB, or null where the browser refuses it (then localStorage keeps them, as before). */
  const database = new Promise((resolve) => {
    try {
      const request = indexedDB.open("hipcoach", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("records", { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch (_) { resolve(null); }
  });
  const legacy = () => { try { return JSON.parse(localStorage.getItem(LEGACY) || "[]"); } catch (_) { return []; } };
  /** One IndexedDB transaction; resolves true when it is on disk, false when it failed (a
   * connection the browser closed in the background throws at once: that is a failure too). */
  const transaction = (db, work) => new Promise((resolve) => {
    try {
      const tx = db.transaction("records", "readwrite", { durability: "strict" });
      work(tx.objectStore("records"));
      tx.oncomplete = () => resolve(true);
      tx.onerror = tx.onabort = () => resolve(false);
    } catch (_) { resolve(false); }
  });
  /** The fallback: one change applied to what localStorage holds now (another tab may have
   * added records since), where `ready` finds it and moves it into IndexedDB next time. */
  const keepInLocalStorage = (key, record) => {
    try {
      const left = legacy().filter((r) => r.key !== key).concat(record ? [record] : []);
      if (left.length) localStorage.setItem(LEGACY, JSON.stringify(left)); else localStorage.removeItem(LEGACY);
      return true;
    } catch (_) { return false; }
  };

  /** Resolves once the device's records are read (and any kept by an older version, or kept in
   * localStorage when IndexedDB failed, moved in). Never rejects: at worst it reads localStorage. */
  const ready = database.then(async (db) => {
    const old = legacy();
    if (!db) { all = old; return; }
    const read = () => new Promise((resolve) => {
      try {
        const request = db.transaction("records").objectStore("records").getAll();
        request.onsuccess = () => resolve(request.result || []);
        request.onerror = () => resolve(null);
      } catch (_) { resolve(null); }
    });
    const stored = (await read()) || [];
    // A copy in localStorage moves in unless IndexedDB holds a later one of the same record
    // (a page closed without warning after its last synchronous copy).
    const further = (r) => [(r.log || []).length, r.left_at || 0];
    const later = (a, b) => { const [x, y] = [further(a), further(b)]; return x[0] > y[0] || (x[0] === y[0] && x[1] >= y[1]); };
    const moving = old.filter((o) => { const there = stored.find((r) => r.key === o.key); return !there || later(o, there); });
    const moved = old.length === 0 || await transaction(db, (store) => moving.forEach((r) => store.put(r)));
    if (moved && old.length) { try { localStorage.removeItem(LEGACY); } catch (_) { /* moved; removing is tidiness */ } }
    // What could not be moved stays in localStorage for the next try; this page reads it anyway.
    all = stored.filter((r) => !moving.some((o) => o.key === r.key)).concat(moving);
  }).catch(() => { all = legacy(); });

  /** Writes are queued in order, so a later keep never lands before an earlier one; a write
   * that fails in IndexedDB goes to localStorage instead, and one failure never stops the next. */
  let writing = Promise.resolve(true);
  const persist = (key, record) => {
    writing = writing.catch(() => false).then(() => database).then(async (db) => {
      const done = db && await transaction(db, (store) => (record ? store.put(record) : store.delete(key)));
      // A copy left in localStorage by an earlier failure would come back: it goes too.
      if (done && !record && legacy().some((r) => r.key === key)) keepInLocalStorage(key, null);
      return done || keepInLocalStorage(key, record);
    }).catch(() => keepInLocalStorage(key, record));
    return writing;
  };
  /** Keeps (or updates) a record; resolves false when the browser would not store it at all. */
  const keep = (record) => {
    const mineNow = { ...record, user };
    all = all.filter((r) => r.key !== record.key).concat([mineNow]);
    return persist(record.key, mineNow);
  };
  /** Keeps a record as the page closes: also written at once to localStorage (IndexedDB's
   * write may be cut off by the unload), where `ready` finds it and moves it in next time. */
  const keepNow = (record) => {
    keepInLocalStorage(record.key, { ...record, user });
    return keep(record);
  };
  const forget = (key) => {
    all = all.filter((r) => r.key !== key);
    return persist(key, null);
  };
  /** This account's records, oldest first (after `ready`). */
  const mine = () => all.filter((r) => r.user === user);
  /** The device's calendar day, as the server reads it (YYYY-MM-DD). */
  const today = () => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  };
  const dayWords = (day) =>
    new Date(day + "T12:00:00").toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long" });

  /** The log as sent: a session left part-way runs on to the moment it was left (a tick then),
   * so the sets that ran on their timers after the last button press count. */
  function logToSend(record) {
    const last = record.log[record.log.length - 1];
    const left = record.state === "playing" && last && record.left_at > last.at;
    return left ? record.log.concat([{ at: record.left_at, command: { type: "tick" } }]) : record.log;
  }

  /** What the server is sent for a record: a reading's fields, or a session's log. Its own day
   * only when sent on a later one: otherwise the server's today decides. */
  function request(record) {
    const day = record.day !== today() ? record.day : undefined;
    if (record.kind === "reading") return { url: record.url, body: { ...record.body, key: record.key, day } };
    return {
      url: "/api/sessions",
      body: { key: record.key, exercise: record.exercises, log: logToSend(record), pain_before: record.pain_before, played: record.items, day },
    };
  }

  /** One try: `{ ok, body }`, or `{ ok: false, retry, keep, error }`. `retry`: the fault may
   * pass by itself (no network, a server error). Nothing is forgotten on this device unless
   * the server stored it (a 2xx naming the stored record): a refusal of the record itself (400,
   * 422), a login that ended, a proxy's page or a conflict leave it kept, for the person to
   * discard. */
  async function send(record) {
    let response;
    const { url, body: sent } = request(record);
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify(sent),
      });
    } catch (_) {
      return { ok: false, retry: true, error: "There is no connection to the server." };
    }
    dispatchEvent(new Event("hipcoach:reached"));
    let body = null;
    try { body = await response.json(); } catch (_) { body = null; }
    if (response.ok && body && Number.isInteger(body.id)) { forget(record.key); return { ok: true, body }; }
    if (response.ok || response.status >= 500 || response.status === 408 || response.status === 429) {
      return { ok: false, retry: true, error: "The server's answer could not be read." };
    }
    const error = (body && body.error) || `The server answered ${response.status}.`;
    if (response.status === 401 || response.status === 403) {
      return { ok: false, retry: false, keep: true, login: true, error: "You are logged out. Log in again to send it." };
    }
    // Refused for what it holds (a value out of range, a date from another year): sending again
    // cannot help, but what the person did stays on the device until they discard it.
    if (response.status === 400 || response.status === 422) return { ok: false, retry: false, keep: true, refused: true, error };
    return { ok: false, retry: false, keep: true, error };
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
      if (!result.retry) { done = true; report({ state: result.refused ? "refused" : "kept", error: result.error, login: result.login }); return; }
      report({ state: "waiting", error: result.error, seconds: wait });
      timer = setTimeout(attempt, wait * 1000);
      wait = Math.min(60, wait * 2);
    };
    window.addEventListener("online", attempt);
    window.addEventListener("hipcoach:online", attempt);
    attempt();
    return { now: attempt };
  }

  /** A reason as a sentence: a capital and a full stop, whoever wrote it. */
  const sentence = (text) => {
    const t = String(text || "").trim();
    return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? "" : ".");
  };

  /** In words, for a status line. */
  function statusWords(status) {
    switch (status.state) {
      case "saving": return "Saving…";
      case "saved": return "Saved ✓";
      case "waiting": return `Not saved yet: ${sentence(status.error)} It is kept on this device and sent again in ${status.seconds} s.`;
      case "refused": return `Not saved: ${sentence(status.error)} It stays on this device until you discard it.`;
      case "unkept": return `Not saved: ${sentence(status.error)}`;
      case "kept": return `Not saved yet: ${sentence(status.error)} It is kept on this device, and Today offers it again.`;
      default: return "";
    }
  }

  window.HipcoachRecords = { ready, keep, keepNow, forget, mine, today, dayWords, sendUntilStored, statusWords };

  // Today, History and Measure list what this device still holds, and send what is finished.
  const list = document.getElementById("kept-records");
  if (list) ready.then(() => listKept(list));
  function listKept(list) {
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
      const discard = () => {
        const b = button("Discard it");
        b.addEventListener("click", () => {
          const what = record.kind === "reading" ? "reading? It" : "session? What you did in it";
        if (!confirm(`Discard this ${what} will not be saved.`)) return;
          forget(record.key);
          item.remove();
          list.hidden = mine().length === 0;
        });
        return b;
      };
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
          // Kept but not storable as it is (refused, or the plan changed while it waited): the
          // person decides.
          if ((s.state === "kept" || s.state === "refused") && !s.login) actions.replaceChildren(discard());
        });
      };
      if (record.kind === "reading") {
        what.textContent = `Your reading of ${dayWords(record.day)} (${record.names}) did not reach the server.`;
        saveNow();
        continue;
      }
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
      actions.append(save, " ", discard());
    }
  }
})();
