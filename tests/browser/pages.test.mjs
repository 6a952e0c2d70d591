// Every page, as a visitor sees it: on a 390 px phone and a 1280 px desktop, in light and dark, each
// checked with axe-core (no serious or critical problem, nothing sideways at 320 px) and
// photographed for docs/screenshots/. Then "Your account and data" is used for real: a file is
// downloaded, a calendar address made, a wrong password refused, the account deleted.
import { assert, audit, getStarted, launch, shots, signUp, startServer, watchForeign } from "./harness.mjs";

const sizes = [
  ["phone", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true }],
  ["desktop", { viewport: { width: 1280, height: 900 } }],
];
const pages = [
  ["today", "/"],
  ["profile", "/profile"],
  ["safety", "/safety"],
  ["exercises", "/exercises"],
  ["exercise", "/exercises/seated-hip-internal-rotation"],
  ["player", "/session"],
  ["history", "/history"],
  ["measure", "/measure"],
  ["measure-phone", "/measure/phone"],
  ["measure-clip", "/measure/clip"],
  ["measure-camera", "/measure/camera"],
  ["connect", "/connect"],
  ["account", "/account"],
  ["not-found", "/exercises/no-such-exercise"],
];

const { url, stop } = await startServer();
const browser = await launch();
try {
  for (const [size, options] of sizes) {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ ...options, colorScheme: scheme });
      const page = await context.newPage();
      const foreign = watchForeign(page, url);
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await page.goto(url + "/signup");
      await audit(page, `sign-up (${size}, ${scheme})`);
      await page.screenshot({ path: `${shots}/signup-${size}-${scheme}.png`, fullPage: true });
      await signUp(page, `visitor-${size}-${scheme}`, "a long password");
      await getStarted(page);
      for (const [name, path] of pages) {
        await page.goto(url + path);
        await audit(page, `${name} (${size}, ${scheme})`);
        await page.screenshot({ path: `${shots}/${name}-${size}-${scheme}.png`, fullPage: true });
      }
      assert.deepEqual(errors, [], "no script errors");
      assert.deepEqual(foreign, [], "no request leaves loopback");
      await context.close();
    }
  }

  // Your account and data, on a phone.
  const context = await browser.newContext({ ...sizes[0][1], acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(url + "/signup");
  await signUp(page, "dee", "a long password");
  await getStarted(page);
  await page.click("a.who");
  await page.waitForSelector("h1:text('Your account and data')");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=Progress report and handout (PDF)")]);
  assert.equal(download.suggestedFilename(), "hipcoach-handout.pdf");
  const pdf = await download.createReadStream();
  const first = await new Promise((resolve) => pdf.once("data", resolve));
  assert.equal(first.subarray(0, 5).toString(), "%PDF-", "a real PDF arrives");
  const offset = await page.inputValue("#reminders ~ form input[name=offset], form[action='/account/calendar'] input[name=offset]");
  assert.equal(offset, String(-(await page.evaluate(() => new Date().getTimezoneOffset()))), "the browser's time zone is sent");
  await page.fill("#feed-at", "07:30");
  await page.click("text=Make my calendar address");
  const address = await page.inputValue("input.address");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
  await page.click("text=Copy the address");
  await page.waitForSelector("text=Copied.");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), address, "the address is on the clipboard");
  assert.match(address, /^http:\/\/127\.0\.0\.1:\d+\/calendar\/[0-9a-f]{64}\.ics$/);
  await page.screenshot({ path: `${shots}/account-calendar-phone.png`, fullPage: true });
  const calendar = await (await fetch(address)).text();
  assert.match(calendar, /BEGIN:VEVENT/, "the address serves the plan to a calendar app");

  await page.fill("#password", "not my password");
  await page.click("text=Delete my account and everything in it");
  await page.waitForSelector("#error-password");
  assert.ok(await page.isVisible("#error-understood"), "every problem at once");
  await audit(page, "account with errors");
  await page.locator("section.danger").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/account-delete-errors-phone.png` });
  await page.fill("#password", "a long password");
  await page.check("input[name=understood]");
  await page.click("text=Delete my account and everything in it");
  await page.waitForSelector("text=have been deleted");
  assert.equal((await fetch(address)).status, 404, "the calendar address ended with the account");
  await context.close();
} finally {
  await browser.close();
  stop();
}
console.log("pages: every page audited and photographed; account downloads, calendar and deletion work");
