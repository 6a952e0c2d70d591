// Offline use, on every page: installs the service worker (sw.js), says when the device is
// offline, and tells the worker which pages to keep (Today's session and exercise pages) or to
// forget (after logging out, or when someone else logs in on this device).
(() => {
  "use strict";
  const user = document.querySelector("meta[name=hipcoach-user]")?.content || "";
  const accounts = document.querySelector("meta[name=hipcoach-accounts]")?.content === "1";

  // The banner: present (empty, and so not drawn) from the start, so a screen reader hears it
  // when its words arrive.
  const banner = document.createElement("p");
  banner.className = "offline-banner";
  banner.setAttribute("role", "status");
  document.querySelector("main")?.prepend(banner);
  // The browser's own flag can claim a connection that is not there (a page the service worker
  // served from the device, a captive Wi-Fi), so the server is asked too: a tiny request on
  // load, and every 10 s while it does not answer. When it answers again, "hipcoach:online"
  // tells records.js to send what waits.
  let offline = false, probing = null;
  const set = (now) => {
    if (offline && !now) dispatchEvent(new Event("hipcoach:online"));
    offline = now;
    banner.textContent = offline
      ? "You are offline. Sessions and measurements are kept on this device and sent when the connection is back."
      : "";
    clearTimeout(probing);
    if (offline) probing = setTimeout(probe, 10_000);
  };
  /** Whether the server answers now (within 3 s); the banner follows the answer. */
  async function probe() {
    if (!navigator.onLine) { set(true); return false; }
    try {
      const answer = await fetch("/healthz", { cache: "no-store", signal: AbortSignal.timeout(3000) });
      set(!answer.ok);
    } catch (_) { set(true); }
    return !offline;
  }
  window.HipcoachOffline = { reachable: probe };
  addEventListener("online", probe);
  // Any answer from the server (records.js sending what waited) means the connection is back.
  addEventListener("hipcoach:reached", () => set(false));
  addEventListener("offline", () => set(true));
  probe();

  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => { /* the app still works online */ });

  /** What Today's plan needs offline: the session, and the pages of its exercises. */
  const wanted = () => {
    const links = [...document.querySelectorAll("a[href^='/session'], a[href^='/exercises/']")].map((a) => a.getAttribute("href"));
    return [...new Set(["/", "/session", "/exercises", "/history", "/measure"].concat(links))];
  };
  const tell = (message) => navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
  const LAST_USER = "hipcoach.last-user";
  let last = null;
  try { last = localStorage.getItem(LAST_USER); localStorage.setItem(LAST_USER, user); } catch (_) { /* private mode */ }
  if (accounts && (!user || (last && last !== user))) tell({ type: "forget" });
  if (user || !accounts) {
    if (navigator.onLine && location.pathname === "/") tell({ type: "keep", urls: wanted() });
    // A new build took over: it starts with no pages, so Today asks again.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (navigator.onLine && location.pathname === "/") tell({ type: "keep", urls: wanted() });
    });
  }
})();
