// End-to-end: measuring with the live camera, with the real `hipcoach serve` and Debian's
// Chromium, whose fake camera plays a rendered clip (tests/clips: a still start, then the right
// hip turned to a known 30° three times) as if it were a webcam. The pose model runs in the page,
// the live test in engine.wasm calibrates, counts three turns and gives the estimate, which must
// hold the truth within its ±; saving stores a camera reading. The camera turned 35° is said as
// what to fix and nothing is measured. No frame is uploaded, and nothing leaves loopback. Prints
// the frames per second and the time from keypoints to screen for the README.
// Screenshots go to docs/screenshots/.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { assert, audit, getStarted, shots, signUp, startServer, watchForeign } from "./harness.mjs";

/** The clip as a camera would give it: three still seconds first (sitting down in front of the
 * camera), at the clip's 10 frames a second, in the y4m format Chromium's fake camera reads. */
function cameraFile(name, { dark = false } = {}) {
  mkdirSync("target/camera", { recursive: true });
  const out = `target/camera/${name}${dark ? "-dark" : ""}.y4m`;
  // Dark: the same room with the lights nearly off (a twentieth of the light).
  const filters = ["tpad=start_duration=3:start_mode=clone"].concat(dark ? ["lutyuv=y=val/20"] : []).join(",");
  execFileSync("ffmpeg", ["-v", "error", "-y", "-i", `tests/clips/${name}.mp4`, "-vf", filters, "-pix_fmt", "yuv420p", out]);
  return out;
}

async function withCamera(file, test) {
  const { url, stop } = await startServer();
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
           `--use-file-for-fake-video-capture=${file}`],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.grantPermissions(["camera"], { origin: url });
    const page = await context.newPage();
    const foreign = watchForeign(page, url);
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const posts = [];
    page.on("request", (request) => {
      if (request.method() !== "POST") return;
      const body = request.postDataBuffer() || Buffer.alloc(0);
      posts.push({ path: new URL(request.url()).pathname, bytes: body.length, body: body.toString() });
    });
    await page.goto(url + "/signup");
    await signUp(page, "camera", "a long password");
    await getStarted(page);
    await test({ url, page });
    assert.deepEqual(foreign, [], "no request leaves loopback");
    assert.deepEqual(errors, [], "no script errors");
    // One camera picture is over 100 KB; a session's log with its exercises is a few KB.
    assert.ok(posts.every((p) => p.bytes < 32_768), `no request carries a picture: ${JSON.stringify(posts)}`);
    return posts;
  } finally {
    await browser.close();
    stop();
  }
}

const posts = await withCamera(cameraFile("seated-right-ir"), async ({ url, page }) => {
  await page.goto(url + "/measure");
  await page.click("text=measure with the camera");
  await page.waitForURL(/\/measure\/camera$/);
  await audit(page, "the camera page");
  await page.check("#camera input[name=side][value=right]");
  await page.click("#camera-start");
  await page.waitForSelector("#camera-live:not([hidden])", { timeout: 60_000 });
  assert.ok(await page.isVisible("text=Nothing leaves this device"), "the privacy note sits by the preview");
  await page.waitForSelector("#camera-say:has-text('Trial 1 of 3')", { timeout: 60_000 });
  await page.waitForSelector("#camera-trials li.done", { timeout: 60_000 });
  await page.screenshot({ path: `${shots}/camera-live-phone.png`, fullPage: true });
  await page.waitForSelector("#camera-done:not([hidden])", { timeout: 90_000 });
  const result = await page.textContent("#camera-result");
  const match = /^Right hip: estimate (-?\d+)° ±(\d+)°$/.exec(result);
  assert.ok(match, result);
  const [degrees, plusMinus] = [Number(match[1]), Number(match[2])];
  assert.ok(Math.abs(degrees - 30) <= plusMinus, `estimate ${degrees}° ±${plusMinus}° against a true 30°`);
  const speed = JSON.parse(await page.getAttribute("#camera", "data-speed"));
  console.log(`camera page: ${speed.frames} frames, pose model ${speed.poseMs.toFixed(1)} ms a frame, keypoints to screen (engine) ${speed.engineMs.toFixed(2)} ms; the fake camera gives 10 frames a second, so the rate the page could keep is ${(1000 / (speed.poseMs + speed.engineMs)).toFixed(0)} frames/s`);
  await audit(page, "the camera result");
  await page.screenshot({ path: `${shots}/camera-result-phone.png`, fullPage: true });
  await page.click("#camera-save");
  await page.waitForSelector("#camera-saved:has-text('Saved')");
  assert.match(await page.textContent("#camera-saved"), /right seated IR estimate \d+° ±\d+° \(camera estimate\)/);
});
assert.deepEqual(posts.map((p) => p.path), ["/signup", "/start", "/api/measurements/camera"]);

await withCamera(cameraFile("seated-right-ir-yaw35"), async ({ url, page }) => {
  await page.goto(url + "/measure/camera");
  await page.check("#camera input[name=side][value=right]");
  await page.click("#camera-start");
  await page.waitForSelector("#camera-fix:has-text('place it straight in front of the thighs')", { timeout: 60_000 });
  assert.equal(await page.textContent("#camera-angle"), "", "no number from a turned camera");
  await page.screenshot({ path: `${shots}/camera-turned-phone.png`, fullPage: true });
  await page.click("#camera-stop");
  await page.waitForSelector("text=Stopped: nothing was measured");
});
await withCamera(cameraFile("seated-right-ir", { dark: true }), async ({ url, page }) => {
  await page.goto(url + "/measure/camera");
  await page.check("#camera input[name=side][value=right]");
  await page.click("#camera-start");
  await page.waitForSelector("#camera-fix:has-text('too dark')", { timeout: 60_000 });
  assert.match(await page.textContent("#camera-fix"), /turn on a light or face a window/);
  await page.screenshot({ path: `${shots}/camera-dark-phone.png`, fullPage: true });
  await page.click("#camera-stop");
});

// Coach mode: the same camera during a guided set. The session's timed steps are capped at 60 ms
// for tests, so a rep that stays on screen for seconds is one waiting for the camera; the fake
// camera's person turns only the right hip, so the left set waits (and is skipped) and the right
// set's reps go on as the camera sees each turn come back. Switching the coach off hands the set
// back to the timer, which finishes the session; the log that is stored holds the reps the
// camera saw and no picture.
const coached = await withCamera(cameraFile("seated-right-ir"), async ({ url, page }) => {
  await page.goto(url + "/session?exercise=seated-hip-internal-rotation-foot-free");
  assert.ok(await page.isVisible("text=Camera coach: count my reps"), "the switch is offered for a drill the camera can watch");
  await page.check("#coach-on");
  await page.waitForSelector("#coach-live:not([hidden])");
  assert.ok(await page.isVisible("#coach-live >> text=Nothing leaves this device"), "the privacy note sits by the preview");
  await page.waitForSelector("#coach-say:has-text('Camera ready')", { timeout: 60_000 });
  await page.click("#before button[data-score='0']");
  await page.click("#start");
  await page.waitForFunction(() => document.getElementById("title").textContent.startsWith("Rep 1 of 10 · set 1 · left side"));
  await page.waitForTimeout(1_500);
  assert.match(await page.textContent("#title"), /^Rep 1 of 10 · set 1 · left side/, "the left set waits for a turn the camera sees");
  assert.equal(await page.textContent("#countdown"), "", "no countdown while the set waits for the camera");
  assert.match(await page.textContent("#cue"), /Bring the foot back to the start to finish the rep/);
  await page.click("#skip");
  await page.waitForFunction(() => /Rep \d+ of 10 · set 1 · right side/.test(document.getElementById("title").textContent));
  await page.waitForFunction(() => /^Rep [3-9] of 10 · set 1 · right side/.test(document.getElementById("title").textContent), null, { timeout: 60_000 });
  await audit(page, "the session with the camera coach");
  // The player scrolls inside the page: the top (the step and the count), then the camera.
  const scrollTo = (id) => page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: "start" }), id);
  await scrollTo("player");
  await page.screenshot({ path: `${shots}/coach-phone.png` });
  await scrollTo("coach");
  await page.screenshot({ path: `${shots}/coach-camera-phone.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await scrollTo("player");
  await page.screenshot({ path: `${shots}/coach-desktop.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  const speed = JSON.parse(await page.getAttribute("#coach", "data-speed"));
  console.log(`camera coach: ${speed.frames} frames, pose model ${speed.poseMs.toFixed(1)} ms a frame, keypoints to the engine's answer ${speed.engineMs.toFixed(2)} ms`);
  await page.uncheck("#coach-on");
  assert.ok(await page.isHidden("#coach-live"), "switched off at once");
  while (await page.isHidden("#summary")) {
    await Promise.race([
      page.waitForSelector("#pain:not([hidden])", { timeout: 60_000 }),
      page.waitForSelector("#summary:not([hidden])", { timeout: 60_000 }),
    ]);
    if (await page.isVisible("#pain")) {
      await page.click("#pain button[data-score='0']");
      await page.waitForFunction(() => document.getElementById("pain").hidden || !document.getElementById("summary").hidden);
    }
  }
  await page.waitForSelector("text=Session saved");
});
const stored = coached.find((p) => p.path === "/api/sessions");
assert.ok(stored, `the session was sent: ${coached.map((p) => p.path)}`);
const log = JSON.parse(stored.body).log;
const seen = log.filter((entry) => entry.command.type === "camera").map((entry) => entry.command.value.type);
assert.ok(seen.filter((type) => type === "rep").length >= 2, `the camera's reps are in the log: ${seen}`);
assert.deepEqual([seen[0], seen[seen.length - 1]], ["on", "off"], `on when the session began, off when switched off: ${seen}`);
console.log("camera.test.mjs: ok");
