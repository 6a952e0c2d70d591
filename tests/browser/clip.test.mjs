// End-to-end: analysing a recorded clip in the page, with the real `hipcoach serve` and Debian's
// Chromium. A phone-sized visitor chooses a rendered video of the seated test (tests/clips: the
// right hip turned to a known 30°, three times); MediaPipe's pose model, served by hipcoach, runs
// in the page and the Rust analyser (engine.wasm) measures it. The estimate must hold the truth
// within its own ±; saving stores a camera reading. The same with the camera turned 35° gives no
// number but the reason. The request log must show no upload of the video and nothing leaving
// loopback. Then a desktop. Prints the page's frames per second for the README.
// Screenshots go to docs/screenshots/.
import { readFileSync } from "node:fs";
import { assert, audit, getStarted, launch, onPhone, shots, signUp, startServer, logIn } from "./harness.mjs";

const clip = "tests/clips/seated-right-ir.mp4";
const turned = "tests/clips/seated-right-ir-yaw35.mp4";
const truthPeak = Math.max(...readFileSync("tests/clips/seated-right-ir.truth.csv", "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[2])));
const videoBytes = readFileSync(clip).length;

/** Chooses the file, analyses it and waits for the result (or an error). */
async function analyse(page, file) {
  await page.setInputFiles("#clip-file", file);
  await page.click("#clip-analyse");
  await page.waitForSelector("#clip-working:not([hidden])");
  await page.waitForSelector("#clip-result:not([hidden]), #clip-error:not([hidden])", { timeout: 180_000 });
  assert.ok(await page.isHidden("#clip-error"), await page.textContent("#clip-error"));
}

await onPhone(async ({ url, page }) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // Every request the page makes, with its body size: the video must not be among them.
  const sent = [];
  page.on("request", (request) => sent.push({ url: request.url(), method: request.method(), bytes: (request.postDataBuffer() || Buffer.alloc(0)).length }));

  await page.goto(url + "/signup");
  await signUp(page, "cam", "a long password");
  await getStarted(page);
  await page.goto(url + "/measure");
  await page.click("text=analyse the clip");
  await page.waitForURL(/\/measure\/clip$/);
  assert.ok(await page.isVisible("text=The video stays on this device"), "the page says where the video goes, beside the picker");
  await audit(page, "the clip page");
  await page.screenshot({ path: `${shots}/clip-start-phone.png`, fullPage: true });

  const started = Date.now();
  await analyse(page, clip);
  const seconds = (Date.now() - started) / 1000;
  const heading = await page.textContent("#clip-heading");
  assert.equal(heading, "Right hip (turned most)", "the side that turned is found");
  const outcome = await page.textContent("#clip-outcome");
  const match = /^Estimate (-?\d+)° ±(\d+)°\.$/.exec(outcome);
  assert.ok(match, `an estimate with its ±: ${outcome}`);
  const [degrees, plusMinus] = [Number(match[1]), Number(match[2])];
  assert.ok(Math.abs(degrees - truthPeak) <= plusMinus, `estimate ${degrees}° ±${plusMinus}° against a true ${truthPeak}°`);
  assert.match(await page.textContent("#clip-trials"), /From the peaks of the last 3 reps/);
  assert.match(await page.textContent("#clip-validation"), /rendered people, not yet against a goniometer/);
  assert.match(await page.textContent("#clip-details"), /Reps: 3/);
  assert.ok(await page.isVisible("svg.clip-chart"), "the angle over time is drawn");
  const frames = Number(/Measured in \d+ of (\d+) frames/.exec(await page.textContent("#clip-details"))[1]);
  console.log(`clip page: ${frames} frames analysed in ${seconds.toFixed(1)} s (${(frames / seconds).toFixed(1)} frames/s, pose model and analysis, headless Chromium, 2 cores)`);
  await audit(page, "the clip page with a result");
  await page.screenshot({ path: `${shots}/clip-result-phone.png`, fullPage: true });

  // Saving stores a camera reading with its own ±.
  await page.click("#clip-save");
  await page.waitForSelector("#clip-saved:has-text('Saved')");
  assert.match(await page.textContent("#clip-saved"), /right seated IR estimate \d+° ±\d+° \(camera estimate\)/);

  // Another clip on the same page (a fresh pose model, nothing carried over): the camera turned
  // 35° gives no number but the reason, and nothing to save.
  await analyse(page, turned);
  assert.equal(await page.textContent("#clip-heading"), "Not measured");
  const refused = await page.textContent("#clip-outcome");
  assert.match(refused, /^Not measured in any frame: the camera is about \d+° to the side; place it straight in front of the thighs\.$/, refused);
  assert.ok(await page.isHidden("#clip-save-row"), "nothing to save");
  assert.ok(await page.isHidden("#clip-figure"), "no empty chart");
  await page.screenshot({ path: `${shots}/clip-refused-phone.png`, fullPage: true });

  // The measure page lists the saved reading as a camera estimate.
  await page.goto(url + "/measure");
  await page.waitForSelector("table.readings >> text=camera estimate");

  // No request carried anything the size of a video; every one stayed on the server's origin.
  const largest = Math.max(...sent.map((r) => r.bytes));
  assert.ok(largest < videoBytes / 4, `largest request body ${largest} bytes (the video is ${videoBytes})`);
  assert.deepEqual(sent.filter((r) => !r.url.startsWith(url) && !r.url.startsWith("blob:") && !r.url.startsWith("data:")), []);
  const posts = sent.filter((r) => r.method === "POST").map((r) => new URL(r.url).pathname);
  assert.deepEqual(posts, ["/signup", "/start", "/api/measurements/camera"], "the only POSTs: signing up, getting started, saving the estimate");
  assert.deepEqual(errors, [], "no script errors");
});

// A desktop: the same page, wide.
{
  const { url, stop } = await startServer();
  const browser = await launch();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(url + "/signup");
    await signUp(page, "desk", "a long password");
    await getStarted(page);
    await page.goto(url + "/measure/clip");
    await analyse(page, clip);
    assert.match(await page.textContent("#clip-outcome"), /^Estimate/);
    await audit(page, "the clip page on a desktop");
    await page.screenshot({ path: `${shots}/clip-result-desktop.png`, fullPage: true });
  } finally {
    await browser.close();
    stop();
  }
}
console.log("clip.test.mjs: ok");
