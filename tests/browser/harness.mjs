// What the browser tests share: the real `hipcoach serve` on a random loopback port with a fresh
// database, Debian's Chromium through playwright-core (never a downloaded browser), a phone-sized
// context, and signing up and getting started the way a person would.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";

const binary = process.env.HIPCOACH_BIN || "target/debug/hipcoach";
export const shots = "docs/screenshots";
mkdirSync(shots, { recursive: true });

/** Starts the server (timed steps capped at 60 ms) and resolves with its URL once it listens. */
export function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), "hipcoach-browser-"));
  return new Promise((resolve, reject) => {
    const args = ["--data-dir", dataDir, "--today", "2026-11-24", "serve", "--bind", "127.0.0.1:0", "--quick-step-ms", "60"];
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"] });
    child.on("error", reject);
    child.stdout.once("data", (chunk) => {
      const match = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
      const stop = () => { child.kill("SIGTERM"); rmSync(dataDir, { recursive: true, force: true }); };
      match ? resolve({ url: match[1], stop }) : reject(new Error("unexpected output: " + chunk));
    });
  });
}

/** Debian's Chromium, headless, with nothing that phones home. */
export function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
  });
}

/** A phone on the floor: 390×844 at 2×, touch. */
export function phone(browser) {
  return browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
}

/** Collects every request that leaves the server's origin (there should be none); a page's own
 * blob: URLs (a chosen video) and data: URLs never leave the device. */
export function watchForeign(page, url) {
  const foreign = [];
  const local = [url, "data:", "blob:" + url];
  page.on("request", (request) => { if (!local.some((start) => request.url().startsWith(start))) foreign.push(request.url()); });
  return foreign;
}

/** From the sign-up page: creates the account and lands on getting started. */
export async function signUp(page, name, password) {
  await page.fill("input[name=name]", name);
  await page.fill("input[name=password]", password);
  await page.fill("input[name=confirm]", password);
  await page.check("input[name=understood]");
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/start$/);
}

/** On getting started: answers every safety question "no", an adult without hip surgery, a
 * general goal, the floor and a chair available and a mat ticked, then saves and waits for Today. */
export async function getStarted(page) {
  await page.evaluate(() => {
    for (const radio of document.querySelectorAll("input[type=radio][value=no]")) radio.checked = true;
    const answers = [["age-band", "18-49"], ["hip-surgery", "none"], ["goal", "general"], ["floor", "yes"], ["chair", "yes"]];
    for (const [name, value] of answers) {
      document.querySelector(`input[name="${name}"][value="${value}"]`).checked = true;
    }
    document.querySelector("input[name=equipment][value=mat]").checked = true;
  });
  await page.fill("input[name=minutes]", "15");
  await page.click("main button[type=submit]");
  await page.waitForSelector("text=Start the session");
}

/** From a log-in page: logs in and waits to leave it. */
export async function logIn(page, name, password) {
  await page.fill("input[name=name]", name);
  await page.fill("input[name=password]", password);
  await page.click("main button[type=submit]");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

const axeSource = readFileSync("node_modules/axe-core/axe.min.js", "utf8");

/** Checks the page as it stands with axe-core: no serious or critical accessibility problem, and
 * (on a phone) nothing scrolls sideways even at 320 px. */
export async function audit(page, where) {
  await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(serious, [], `accessibility of ${where}`);
  const viewport = page.viewportSize();
  if (viewport && viewport.width < 600) {
    await page.setViewportSize({ width: 320, height: viewport.height });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.setViewportSize(viewport);
    assert.ok(width <= 320, `${where} scrolls sideways at 320 px (${width} px wide)`);
  }
}

/** Runs `test` with a fresh server, Chromium and a phone-sized page, and checks afterwards that no
 * request left the server's origin. */
export async function onPhone(test) {
  const { url, stop } = await startServer();
  let browser;
  try {
    browser = await launch();
    const page = await (await phone(browser)).newPage();
    const foreign = watchForeign(page, url);
    await test({ url, browser, page });
    assert.deepEqual(foreign, [], "no request leaves loopback");
  } finally {
    if (browser) await browser.close();
    stop();
  }
}

export { assert };
