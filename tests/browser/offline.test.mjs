// Offline, end to end: the real `hipcoach serve` and Debian's Chromium. A phone opens Today with a
// connection (the service worker keeps the app and today's pages), loses the network, does a
// whole guided session with pauses, back, skip and pain answers on the page's own engine
// (WebAssembly), reloads while offline (the service worker serves the page), enters a reading by
// hand, and comes back online: each record is stored exactly once and History shows it. Also:
// the install criteria (manifest and worker), and the figures for the README (engine size and
// speed in the page, time from a tap to the screen).
import { assert, audit, getStarted, onPhone, shots, signUp } from "./harness.mjs";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

await onPhone(async ({ url, browser, page }) => {
  const context = page.context();
  await page.goto(url + "/signup");
  await signUp(page, "fern", "a long password");
  await getStarted(page);

  // A session an older version kept in localStorage (before records moved to IndexedDB) is
  // moved, not lost, and sent: updating the app never loses a queued record.
  await page.evaluate(() => {
    const user = document.querySelector("meta[name=hipcoach-user]").content;
    const d = new Date();
    const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    localStorage.setItem("hipcoach.records", JSON.stringify([{
      key: "s-from-an-older-version", user, exercises: ["clamshell"], names: "Clamshell", day, state: "finished",
      log: [{ at: 0, command: { type: "start" } }, { at: 20000, command: { type: "end-session" } }],
    }]));
  });
  await page.reload();
  await page.waitForFunction(() => /Saved ✓/.test(document.getElementById("kept-records").textContent), null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => localStorage.getItem("hipcoach.records")), null, "moved out of localStorage");

  // With a connection: the worker takes over and keeps what today's session needs.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(async () => {
    const kept = await caches.keys();
    const pages = kept.find((name) => name.startsWith("hipcoach-pages-"));
    return pages && (await (await caches.open(pages)).match("/session")) && (await caches.match("/assets/engine.wasm"));
  }, null, { timeout: 20_000 });

  // Only what offline use needs is kept: not the safety answers, the profile or the account.
  for (const path of ["/safety", "/profile", "/account"]) await page.goto(url + path);
  assert.deepEqual(await page.evaluate(async () => {
    const kept = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) kept.push(new URL(r.url).pathname);
    return kept.filter((p) => ["/safety", "/profile", "/account"].includes(p));
  }), [], "personal pages are not kept on the device");
  await page.goto(url + "/");

  // Installable: a manifest with icons, a service worker that controls the page.
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  // Playwright's contexts are incognito windows, where Chromium never offers to install: that
  // one is the test browser's, not the app's.
  const errors = installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito");
  assert.deepEqual(errors, [], "the app meets the install criteria");
  const manifest = await cdp.send("Page.getAppManifest");
  assert.deepEqual(manifest.errors, [], "the manifest parses without complaint");

  // Figures: the engine as the page loads it, how fast it plays, and how long a tap takes.
  const wasm = readFileSync("crates/hipcoach-web/src/assets/engine.wasm");
  const figures = { wasm_bytes: wasm.length, wasm_gzipped_bytes: gzipSync(wasm, { level: 9 }).length };

  // The player page's first load without the engine: the page, its stylesheet, scripts,
  // manifest and icon (uncompressed).
  await page.goto(url + "/session");
  figures.player_page_bytes_without_engine = await page.evaluate(async () => {
    const urls = [...document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=manifest], link[rel=icon]")]
      .map((e) => e.src || e.href);
    const sizes = await Promise.all(urls.map(async (u) => (await (await fetch(u)).arrayBuffer()).byteLength));
    const page = (await (await fetch(location.href)).arrayBuffer()).byteLength;
    return sizes.reduce((a, b) => a + b, page);
  });
  assert.ok(figures.player_page_bytes_without_engine <= 150 * 1024, "the player page loads within 150 KB without the engine");

  // Offline from here on.
  await context.setOffline(true);
  await page.goto(url + "/session");
  await page.waitForSelector("#start");
  assert.ok(await page.isVisible(".offline-banner"), "the page says it is offline");
  figures.steps_per_second = await page.evaluate(async () => {
    // A whole session played ahead from its start, again and again: moments (engine steps
    // with their screen) per second of the page's clock.
    const engine = await window.HipcoachEngine.load();
    const session = JSON.parse(document.getElementById("player").dataset.session);
    const request = { items: session.items, pace: { get_ready_ms: 10000, switch_ms: 5000, cap_ms: null }, log: [{ at: 0, command: { type: "start" } }], now: 0 };
    let steps = 0;
    const start = performance.now();
    while (performance.now() - start < 1000) steps += engine.timeline(request).upcoming.length + 1;
    return Math.round(steps / ((performance.now() - start) / 1000));
  });
  await page.screenshot({ path: `${shots}/offline-session-phone.png` });

  await page.click("#before button[data-score='1']");
  await page.click("#start");
  await page.waitForFunction(() => /Rep|Hold/.test(document.getElementById("title").textContent));
  // A tap, timed from the click to the next painted frame that shows it.
  figures.tap_to_screen_ms = await page.evaluate(() => new Promise((resolve) => {
    const title = document.getElementById("title");
    const start = performance.now();
    const watch = () => (title.textContent.includes("paused") ? resolve(Math.round((performance.now() - start) * 10) / 10) : requestAnimationFrame(watch));
    document.getElementById("pause").click();
    requestAnimationFrame(watch);
  }));
  await page.click("#pause"); // resume
  await page.waitForFunction(() => !document.getElementById("title").textContent.includes("paused"));
  await page.click("#back");
  await page.click("#skip");
  let checks = 0;
  while (await page.isHidden("#summary") && !(await page.isVisible(".save-status.waiting"))) {
    await Promise.race([
      page.waitForSelector("#pain:not([hidden])", { timeout: 120_000 }),
      page.waitForSelector(".save-status.waiting", { timeout: 120_000 }),
    ]);
    if (await page.isVisible("#pain")) {
      // One skipped check, then scores.
      await page.click(checks === 0 ? "#pain button[data-skip]" : "#pain button[data-score='2']");
      checks += 1;
      await page.waitForFunction(() => document.getElementById("pain").hidden || document.querySelector(".save-status.waiting"));
    }
  }
  assert.ok(checks >= 2, `answered ${checks} pain checks offline`);
  assert.match(await page.textContent("#save-status"), /Not saved yet: There is no connection/, "the record waits, and says so");
  await page.screenshot({ path: `${shots}/offline-waiting-phone.png` });

  // Reloaded while offline: the worker serves the page; Today lists the record waiting.
  await page.reload();
  await page.waitForSelector("#start");
  await page.goto(url + "/");
  await page.waitForSelector("#kept-records:not([hidden])");
  assert.match(await page.textContent("#kept-records"), /did not reach the server/);

  // A reading entered by hand offline waits too.
  await page.goto(url + "/measure");
  await page.check("input[name=side][value=left]");
  await page.fill("input[name=trial1]", "31");
  await page.fill("input[name=trial2]", "33");
  await page.fill("input[name=trial3]", "32");
  await page.click("form[data-reading] button[type=submit]");
  await page.waitForSelector("form[data-reading] .save-status.waiting");
  await page.screenshot({ path: `${shots}/offline-reading-phone.png`, fullPage: true });

  // Back online: both are sent by themselves and stored once.
  await context.setOffline(false);
  // (The measure page lists what waited when it opened, so it sends the session.)
  await page.waitForSelector("form[data-reading] .save-status.saved", { timeout: 30_000 });
  await page.waitForFunction(() => /Saved ✓/.test(document.getElementById("kept-records").textContent), null, { timeout: 30_000 });
  assert.equal(await page.textContent(".offline-banner"), "", "the banner goes once the server answers");
  await page.screenshot({ path: `${shots}/back-online-phone.png`, fullPage: true });
  const stored = await page.evaluate(async () => (await (await fetch("/api/sessions")).json()));
  assert.equal(stored.length, 2, "the session done offline is stored exactly once (beside the moved one)");
  const readings = await page.evaluate(async () => (await (await fetch("/api/measurements")).json()));
  assert.equal(readings.length, 1, "the reading is stored exactly once");
  assert.equal(readings[0].degrees, 32, "the middle trial");
  assert.equal(await page.evaluate(async () => (await window.HipcoachRecords.ready, window.HipcoachRecords.mine().length)), 0,
    "nothing is left waiting on the device");
  await page.goto(url + "/history");
  assert.ok(await page.isVisible("text=Tue 24 Nov 2026"), "History shows the session done offline");
  await audit(page, "History after coming back online");

  // A reading the server refuses (a trial no hip reaches) is not lost: it stays on the device,
  // with the reason, until the person discards it.
  await page.goto(url + "/measure");
  await context.setOffline(true);
  await page.check("input[name=side][value=right]");
  for (const [field, value] of [["trial1", "30"], ["trial2", "200"], ["trial3", "31"]]) await page.fill(`input[name=${field}]`, value);
  await page.click("form[data-reading] button[type=submit]");
  await page.waitForSelector("form[data-reading] .save-status.waiting");
  await context.setOffline(false);
  await page.waitForSelector("form[data-reading] .save-status.refused", { timeout: 30_000 });
  assert.match(await page.textContent("form[data-reading] .save-status"), /Not saved: .*200.*It stays on this device until you discard it/);
  await page.reload();
  const refused = page.locator("#kept-records .kept").last();
  await refused.locator("button:has-text('Discard it')").waitFor();
  assert.match(await refused.textContent(), /Not saved: .*200/);
  page.once("dialog", (dialog) => dialog.accept());
  await refused.locator("button:has-text('Discard it')").click();
  await page.waitForFunction(async () => (await window.HipcoachRecords.ready, window.HipcoachRecords.mine().length === 0));

  // The plan changes on the server (here: more minutes per session) while this device holds an
  // older copy of today's session: the next load plays the new one and says so.
  await page.goto(url + "/session");
  await page.goto(url + "/profile");
  await page.fill("input[name=minutes]", "40");
  await Promise.all([page.waitForEvent("load"), page.click("main button[type=submit]")]);
  await page.goto(url + "/session");
  await page.waitForSelector("#plan-changed:not([hidden])");
  assert.match(await page.textContent("#plan-changed"), /Your plan changed since this device last showed today's session/);
  await page.screenshot({ path: `${shots}/plan-changed-phone.png` });

  // The offline banner on a desktop, and the page for something never kept.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const big = await desktop.newPage();
  await big.goto(url + "/exercises");
  await big.evaluate(() => navigator.serviceWorker.ready);
  await big.reload();
  await big.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await desktop.setOffline(true);
  await big.goto(url + "/exercises/clamshell");
  await big.waitForSelector("h1:has-text('offline')");
  await audit(big, "the offline page");
  await big.screenshot({ path: `${shots}/offline-page-desktop.png` });
  await desktop.close();

  console.log("offline figures:", JSON.stringify(figures));
  assert.ok(figures.wasm_gzipped_bytes <= 300 * 1024, "the engine is within 300 KB gzipped");
  console.log("browser test passed: a whole session and a reading offline, each stored once when back online");
});
