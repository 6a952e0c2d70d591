// End-to-end: measuring hip internal rotation with the real `hipcoach serve` and Debian's Chromium.
// A phone-sized visitor signs up, gets started, enters a goniometer reading by hand (after a validation
// error that keeps what they typed), sees it charted, then measures the other hip with the phone
// inclinometer page, fed synthetic devicemotion events: a shaky start (asked to hold still), then
// neutral and a known end angle for three trials. The server computes the stored angle from the
// gravity vectors. A desktop without a motion sensor is sent to manual entry.
// Screenshots go to docs/screenshots/.
import { assert, getStarted, logIn, onPhone, shots, signUp } from "./harness.mjs";

// Gravity in the phone's axes with the shin turned `degrees` from vertical (upright: 0, -9.81, 0).
const turned = (degrees) => {
  const t = (degrees * Math.PI) / 180;
  return { x: -9.81 * Math.sin(t), y: -9.81 * Math.cos(t), z: 0 };
};

await onPhone(async ({ url, browser, page }) => {
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));

  // Sign up and get started, as the session test does.
  await page.goto(url + "/");
  assert.match(page.url(), /\/login\?next=%2F$/, "a new visitor is asked to log in or sign up");
  await page.click("text=Create an account");
  await signUp(page, "ana", "a long password");
  await getStarted(page);

  // The measure page, empty, then a reading by hand.
  await page.click("nav >> text=Measure");
  await page.waitForSelector("text=No measurements yet");
  assert.ok(await page.isVisible("a[href='/measure/phone']"), "the empty page says how to take a first measurement");
  await page.check("input[name=side][value=left]");
  await page.check("input[name=method][value=goniometer]");
  await page.fill("input[name=trial1]", "30");
  await page.fill("input[name=trial2]", "33");
  await page.click("#add button[type=submit]");
  await page.waitForSelector("#error-trial3");
  assert.equal(await page.inputValue("input[name=trial1]"), "30", "typed values survive a validation error");
  assert.equal(await page.inputValue("input[name=trial2]"), "33");
  assert.ok(await page.isChecked("input[name=side][value=left]"));
  await page.fill("input[name=trial3]", "31");
  await page.click("#add button[type=submit]");
  await page.waitForSelector("svg.ir-chart");
  assert.ok(await page.isVisible("text=Left: 31° ±6°"), "the reading is described with its ±");
  // A second reading by someone with a long name: the readings never widen the phone's page.
  await page.check("input[name=side][value=left]");
  await page.check("input[name=method][value=goniometer]");
  for (const [n, v] of [["trial1", "30"], ["trial2", "32"], ["trial3", "31"]]) await page.fill(`input[name=${n}]`, v);
  await page.fill("input[name=by]", "Dr Maximiliana Wolkenstein-Hohenfelsberger, physiotherapist");
  await page.click("#add button[type=submit]");
  await page.waitForSelector("text=Wolkenstein");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the measure page stays 390 px wide with readings (was ${width})`);
  await page.locator("table.readings").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/measure-readings-phone.png` });

  // The phone inclinometer for the right hip.
  await page.goto(url + "/measure/phone");
  await page.check("#incl input[name=side][value=right]");
  await page.click("#incl-next");
  await page.waitForSelector("#step-strap:not([hidden])");
  // A stand-in for the motion sensor: dispatch the gravity vector `window.__g` every 16 ms,
  // with `window.__shake` m/s² of noise.
  await page.evaluate(() => {
    window.__g = { x: 0, y: -9.81, z: 0 };
    window.__shake = 1.5;
    setInterval(() => {
      const n = () => (Math.random() - 0.5) * 2 * window.__shake;
      const g = window.__g;
      window.dispatchEvent(new DeviceMotionEvent("devicemotion", {
        accelerationIncludingGravity: { x: g.x + n(), y: g.y + n(), z: g.z + n() }, interval: 16,
      }));
    }, 16);
  });
  await page.click("#incl-start");
  await page.waitForFunction(() => /Hold still/.test(document.getElementById("incl-status").textContent));
  await page.evaluate(() => { window.__shake = 0.03; });
  const ends = [34, 35, 37];
  for (const [i, end] of ends.entries()) {
    await page.evaluate((g) => { window.__g = g; }, { x: 0, y: -9.81, z: 0 });
    await page.waitForFunction((i) => document.getElementById("incl").dataset.phase === "end" && document.getElementById("incl").dataset.done === String(i), i);
    await page.evaluate((g) => { window.__g = g; }, turned(end));
    if (i === 0) {
      await page.waitForFunction(() => document.getElementById("incl-live").textContent === "34°");
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${shots}/measure-phone.png` });
    }
    await page.waitForFunction((i) => Number(document.getElementById("incl").dataset.done) === i + 1, i);
  }
  await page.waitForSelector("#step-done:not([hidden])");
  const result = await page.textContent("#incl-result");
  assert.match(result, /right seated IR 35° ±7° \(phone on the shin\)/, result);
  assert.match(result, /34°, 35°, 37°/, result);

  await page.click("text=See your progress");
  await page.waitForSelector("svg.ir-chart .series-right");
  assert.ok(await page.isVisible("text=Right: 35° ±7°"), "the phone reading, computed by the server, is on the measure page");
  assert.ok(await page.isVisible("text=Sides: 4° apart, which counts as equal"));

  // A desktop: the chart, and no motion sensor for the phone page.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const big = await desktop.newPage();
  await big.goto(url + "/measure");
  assert.match(big.url(), /\/login\?next=/, "another browser has to log in");
  await logIn(big, "ana", "a long password");
  assert.match(big.url(), /\/measure$/);
  await big.waitForSelector("svg.ir-chart");
  await big.screenshot({ path: `${shots}/measure-desktop.png` });
  await big.goto(url + "/measure/phone");
  await big.click("#incl-next");
  await big.click("#incl-start");
  await big.waitForSelector("#incl-no-sensor:not([hidden])", { timeout: 10_000 });
  assert.ok(await big.isVisible("#incl-no-sensor a[href='/measure#add']"), "a desktop is sent to manual entry");

  assert.deepEqual(errors, [], "no script errors");
  console.log(`measure browser test passed: ${result.trim()}; screenshots in ${shots}/`);
});
