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
/** Pages never kept: signing in, and the account's data and downloads. */
const PRIVATE = /^\/(login|signup|logout|account|calendar|api)(\/|$)/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

// The new build replaces the old one's shell and pages in one step (old pages name old assets).
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("hipcoach-") && name !== SHELL_CACHE && name !== PAGES_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || PRIVATE.test(url.pathname)) return;
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(caches.match(request, { cacheName: SHELL_CACHE, ignoreSearch: true }).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

/** A page: the network's answer (kept for later), or the kept copy when the network fails or
 * keeps the person waiting, or the offline page. */
async function page(request) {
  const kept = await caches.match(request, { cacheName: PAGES_CACHE });
  const network = fetch(request).then(async (response) => {
    await keep(request, response.clone());
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

/** Keeps a page answer worth keeping: a whole HTML page, not a redirect to signing in. */
async function keep(request, response) {
  const url = new URL(request.url);
  const html = (response.headers.get("content-type") || "").startsWith("text/html");
  if (!response.ok || response.redirected || !html || PRIVATE.test(url.pathname)) return;
  await (await caches.open(PAGES_CACHE)).put(request, response);
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep" && Array.isArray(message.urls)) {
    // The pages Today's plan needs: fetched now, while there is a connection.
    event.waitUntil(Promise.all(message.urls.slice(0, 50).map(async (path) => {
      const request = new Request(new URL(path, self.location.origin), { credentials: "same-origin" });
      try { await keep(request, await fetch(request)); } catch (_) { /* kept next time */ }
    })));
  } else if (message.type === "forget") {
    // Logged out, or someone else logged in: nothing personal stays on the device.
    event.waitUntil(caches.delete(PAGES_CACHE));
  }
});
