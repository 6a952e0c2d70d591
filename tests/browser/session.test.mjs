// End-to-end: the real `hipcoach serve` and Debian's Chromium, driven by playwright-core.
// A phone-sized visitor signs up, gets started, does a short guided session (steps capped at a fraction of
// a second by the server's test pace, the real page and engine otherwise), answers the pain
// checks, and finds the session in history. Screenshots go to docs/screenshots/.
import { assert, getStarted, logIn, onPhone, shots } from "./harness.mjs";

await onPhone(async ({ url, browser, page }) => {
  // Everything the first page loads, counted until it has loaded.
  const firstPage = [];
  const countFirstPage = (response) => firstPage.push(response.body().then((b) => b.length, () => 0));
  page.on("response", countFirstPage);
  await page.goto(url + "/", { waitUntil: "load" });
  page.off("response", countFirstPage);
  const firstPageBytes = (await Promise.all(firstPage)).reduce((a, b) => a + b, 0);
  assert.match(page.url(), /\/login\?next=%2F$/, "a new visitor is asked to log in or sign up");
  assert.ok(firstPageBytes <= 100 * 1024, `first page weighs ${firstPageBytes} bytes`);

  await page.click("text=Create an account");
  await page.fill("input[name=name]", "ana");
  await page.fill("input[name=password]", "a long password");
  await page.fill("input[name=confirm]", "a long passwort");
  await page.click("main button[type=submit]");
  await page.waitForSelector("#error-confirm");
  assert.equal(await page.inputValue("input[name=name]"), "ana", "the name survives a validation error");
  await page.fill("input[name=password]", "a long password");
  await page.fill("input[name=confirm]", "a long password");
  await page.check("input[name=understood]");
  await page.screenshot({ path: `${shots}/signup-phone.png`, fullPage: true });
  await page.click("main button[type=submit]");
  await page.waitForURL(/\/start$/);

  // Follow-up questions appear only when their answer asks for them.
  const trimester = page.locator(".question[data-shown-if=pregnant]").first();
  assert.ok(await trimester.isHidden(), "no pregnancy follow-ups before the answer");
  await page.check("input[name=pregnant][value=yes]");
  assert.ok(await trimester.isVisible(), "a yes shows the follow-up");
  await page.check("input[name=pregnant][value=no]");
  assert.ok(await trimester.isHidden(), "a no hides it again");

  // Submitting with nothing answered keeps the page and says what is missing.
  await page.fill("input[name=minutes]", "20");
  await page.click("main button[type=submit]");
  await page.waitForSelector("p.error[role=alert]");
  assert.equal(await page.inputValue("input[name=minutes]"), "20", "typed values survive a validation error");

  await getStarted(page);
  await page.screenshot({ path: `${shots}/today-phone.png`, fullPage: true });

  await page.click("text=Start the session");
  await page.waitForSelector("#start");
  await page.click("#before button[data-score='8']");
  assert.ok(await page.isVisible("#rest-advice"), "high pain before a session suggests resting");
  assert.ok(await page.isDisabled("#start"), "and resting is the default: starting needs a second choice");
  await page.screenshot({ path: `${shots}/rest-advice-phone.png` });
  await page.click("#before button[data-score='1']");
  assert.ok(await page.isHidden("#rest-advice"));
  // Resting is the default after high pain: it keeps the answer and goes back to Today.
  await page.click("#before button[data-score='7']");
  await page.click("#rest-today");
  await page.waitForURL(url + "/");
  await page.click("text=Start the session");
  await page.waitForSelector("#start");
  await page.click("#before button[data-score='1']");
  assert.ok(await page.isEnabled("#start"));
  await page.click("#start");
  await page.waitForFunction(() => /Rep|Hold/.test(document.getElementById("title").textContent));
  await page.screenshot({ path: `${shots}/player-phone.png` });
  const inView = async () => {
    const box = await page.locator("#stop").boundingBox();
    return box !== null && box.y >= 0 && box.y + box.height <= 844;
  };
  assert.ok(await inView(), "the sharp-pain stop is on screen");
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  assert.ok(await inView(), "and stays on screen wherever the page is scrolled");
  await page.evaluate(() => document.getElementById("player").scrollIntoView({ block: "start" }));

  // Pause and resume, then answer each pain check until the session is saved.
  await page.click("#pause");
  await page.waitForFunction(() => document.getElementById("title").textContent.includes("paused"));
  await page.click("#pause");
  let checks = 0;
  while (await page.isHidden("#summary")) {
    await Promise.race([
      page.waitForSelector("#pain:not([hidden])", { timeout: 120_000 }),
      page.waitForSelector("#summary:not([hidden])", { timeout: 120_000 }),
    ]);
    if (await page.isVisible("#pain")) {
      if (checks === 0) {
        assert.ok(await page.isHidden("#stop"), "the stop button does not cover the pain check");
        await page.locator("#pain .red-signs").scrollIntoViewIfNeeded();
        assert.equal(await page.locator("#pain .red-signs button").count(), 4, "every red sign is offered");
        await page.screenshot({ path: `${shots}/pain-check-phone.png` });
      }
      await page.click("#pain button[data-score='1']");
      checks += 1;
      await page.waitForFunction(() => document.getElementById("pain").hidden || !document.getElementById("summary").hidden);
    }
  }
  await page.waitForSelector("text=Session saved");
  assert.ok(checks >= 2, `answered ${checks} pain checks`);
  await page.screenshot({ path: `${shots}/summary-phone.png` });

  await page.goto(url + "/history");
  assert.ok(await page.isVisible("text=Tue 24 Nov 2026"), "the session is in history");
  assert.ok(await page.isVisible("svg.chart"), "with a chart");
  await page.screenshot({ path: `${shots}/history-phone.png`, fullPage: true });

  // A desktop, mid-hold.
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const big = await desktop.newPage();
  await big.goto(url + "/session?exercise=figure-four-stretch");
  assert.match(big.url(), /\/login\?next=/, "another browser has to log in");
  await logIn(big, "ana", "a long password");
  assert.match(big.url(), /\/session\?exercise=figure-four-stretch$/, "and comes back to where it was going");
  await big.click("#start");
  await big.waitForFunction(() => document.getElementById("title").textContent.startsWith("Hold"));
  await big.screenshot({ path: `${shots}/player-desktop.png` });
  // Sharp pain: the exercise stops, and nothing starts by itself; ending saves what was done.
  await big.goto(url + "/session?exercise=prone-hip-internal-rotation&exercise=clamshell");
  await big.click("#start");
  await big.waitForFunction(() => /Rep|Hold/.test(document.getElementById("title").textContent));
  await big.click("#stop");
  await big.waitForSelector("#choice:not([hidden])");
  assert.match(await big.textContent("#choice-advice"), /Sharp pain means stop/);
  assert.ok(await big.isHidden("#pain"), "no pain question: the stop answered it");
  await big.waitForTimeout(1500);
  assert.ok(await big.isVisible("#choice"), "the next exercise does not start by itself");
  assert.match(await big.textContent("#title"), /Stopped for pain/);
  assert.match(await big.textContent("#choice-title"), /Prone hip internal rotation: stopped for today/);
  assert.ok(await big.isHidden("#stop"), "the stop button does not cover the choice");
  await big.screenshot({ path: `${shots}/sharp-pain-choice-desktop.png` });
  await big.click("#choice button[data-choice='end-session']");
  await big.waitForSelector("text=Session saved");
  assert.match(await big.textContent("#summary"), /0 of \d+ sets done/, "the partial session is saved");
  await big.goto(url + "/exercises/prone-hip-internal-rotation");
  await big.screenshot({ path: `${shots}/exercise-desktop.png`, fullPage: true });

  console.log(`browser test passed: ${checks} pain checks answered, first page ${firstPageBytes} bytes, screenshots in ${shots}/`);
});
