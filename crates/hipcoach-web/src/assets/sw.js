// hipcoach's service worker: keeps the app on the device so that a session runs with no network.
// The app shell (stylesheet, scripts, the session engine, icons) is kept per build, cache first;
// pages are fetched from the network first and kept, so that Today, the session, the exercise
// pages and their figures open offline once they have been opened with a connection (Today asks
// for the ones the plan needs). Records never pass through here: they wait on the device
// (records.js) until the server has them, and an update of this worker never touches them.
const VERSION = "{{VERSION}}";
const SHELL_CACHE = "hipcoach-shell-" + VERSION;
const PAGES_CACHE = "hipcoach-pages-" + VERSION;
const SHELL = {{SHELL}}.concat(["/offline"]);
/** How long a page may take on a weak connection before the kept copy is shown instead. */
const PATIENCE_MS = 4000;
/** The only pages kept: what a session and a reading need offline. Nothing else (the safety
 * answers, the profile, a session's or a reading's own page, the account) is kept on the device. */
const OFFLINE = /^\/(|session|exercises(\/[a-z0-9-]+)?|history|measure|measure\/phone|offline)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

// The new build replaces the old one's shell and pages in one step (old pages name old assets),
// fetching again the pages the old one kept, while there is a connection (it is there: the
// browser just fetched this worker).
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((name) => name.startsWith("hipcoach-") && name !== SHELL_CACHE && name !== PAGES_CACHE);
    const pages = [];
    for (const name of old.filter((n) => n.startsWith("hipcoach-pages-"))) {
      pages.push(...(await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname + new URL(request.url).search));
    }
    await Promise.all(old.map((name) => caches.delete(name)));
    await self.clients.claim();
    await keepAll(pages);
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true }).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate" && OFFLINE.test(url.pathname)) {
    event.respondWith(page(request));
  }
});

/** A page: the network's answer (kept for later), or the kept copy when the network fails,
 * keeps the person waiting, or answers with a server error (a proxy's 502), or the offline page. */
async function page(request) {
  const kept = await caches.match(request, { cacheName: PAGES_CACHE });
  const network = fetch(request).then((response) => {
    // Kept on the side: a full cache never turns a good answer into the offline page.
    keep(request, response.clone()).catch(() => {});
    if (response.status >= 500 && kept) throw new Error("server error");
    return response;
  });
  try {
    if (!kept) return await network;
    const slow = new Promise((resolve) => setTimeout(() => resolve(null), PATIENCE_MS));
    return (await Promise.race([network, slow])) || kept;
  } catch (_) {
    return kept || (await caches.match("/offline", { cacheName: SHELL_CACHE })) || Response.error();
  }
}

/** Fetches and keeps pages (at most 50), ignoring the ones that fail: kept next time. */
function keepAll(paths) {
  return Promise.all(paths.slice(0, 50).map(async (path) => {
    const request = new Request(new URL(path, self.location.origin), { credentials: "same-origin" });
    try { await keep(request, await fetch(request)); } catch (_) { /* kept next time */ }
  }));
}

/** Keeps a page answer worth keeping: a whole HTML page, not a redirect to signing in. */
async function keep(request, response) {
  const url = new URL(request.url);
  const html = (response.headers.get("content-type") || "").startsWith("text/html");
  if (!response.ok || response.redirected || !html || !OFFLINE.test(url.pathname)) return;
  await (await caches.open(PAGES_CACHE)).put(request, response);
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep" && Array.isArray(message.urls)) {
    // The pages Today's plan needs: fetched now, while there is a connection.
    event.waitUntil(keepAll(message.urls));
  } else if (message.type === "forget") {
    // Logged out, or someone else logged in: nothing personal stays on the device.
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});
