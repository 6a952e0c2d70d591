// Forms, the library, Today and History as a person uses them, on a 390 px phone: the safety
// questions sent empty list every missing answer in words; an absurd number is refused without
// being echoed; the profile is its own short page; an exercise is swapped from its page; the
// library is searched and filtered; the morning after a session Today asks how the hip is, and
// History shows done against planned.
import { assert, audit, getStarted, onPhone, shots, signUp } from "./harness.mjs";

await onPhone(async ({ url, page }) => {
  await page.goto(url + "/signup");
  await signUp(page, "bo", "a long password");
  await getStarted(page);

  // The safety questions alone, sent with nothing answered: every problem at once, in words.
  await page.goto(url + "/safety");
  await page.evaluate(() => { for (const input of document.querySelectorAll("form.questions input[type=radio]")) input.checked = false; });
  await page.click("main button[type=submit]");
  await page.waitForSelector(".problems");
  const problems = await page.locator(".problems li").allTextContents();
  const asked = await page.locator("fieldset.question:not([hidden])").count();
  assert.equal(problems.length, asked, `every missing answer is listed (${problems.length} of ${asked})`);
  assert.ok(problems.every((p) => /\?.*Please answer this question\./.test(p)), "each by its question, in words");
  assert.ok(!/age-band|`/.test(problems.join(" ")), "no internal ids or code formatting");
  assert.ok(await page.isVisible("#field-age-band .error"), "and again beside the question");
  await audit(page, "safety questions with every answer missing");
  await page.screenshot({ path: `${shots}/safety-errors-phone.png` });

  // Each question is its own group, named by its question, for a screen reader.
  const legend = await page.locator("#field-chest-pain legend").textContent();
  assert.match(legend, /pain in your chest/);

  // The profile: a short page; an absurd number is refused without being echoed back.
  await page.goto(url + "/profile");
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 3000, `the profile is a short page (${height} px)`);
  await page.fill("#minutes", "9".repeat(309));
  await page.click("main form button[type=submit]");
  await page.waitForSelector(".problems");
  const message = await page.textContent("#error-minutes");
  assert.equal(message, "Please give a whole number from 5 to 90.");
  assert.ok(!(await page.content()).includes("9".repeat(20)), "the absurd number is not shown back");
  await page.locator("#field-minutes").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/profile-error-phone.png` });
  await page.fill("#minutes", "20");
  await page.click("main form button[type=submit]");
  await page.waitForSelector("text=Saved. Today's plan follows your new profile.");

  // The library: search and filter, then a swap from an exercise's page.
  await page.goto(url + "/exercises");
  await page.fill("#q", "clam");
  await page.click("form.filter button");
  await page.waitForSelector("text=1 of");
  assert.equal(await page.locator("li.card").count(), 1, "searching narrows the list");
  await page.selectOption("#kind", "stretch");
  await page.fill("#q", "");
  await page.click("form.filter button");
  const stretches = await page.locator("li.card").count();
  assert.ok(stretches >= 2, `filtering by kind shows the stretches (${stretches})`);
  await audit(page, "library filtered");
  await page.screenshot({ path: `${shots}/exercises-filtered-phone.png`, fullPage: true });
  await page.goto(url + "/exercises/clamshell");
  await page.selectOption("#instead", { index: 0 });
  const instead = await page.locator("#instead option").first().textContent();
  await page.click(".choices button:text-is('Swap')");
  await page.waitForSelector(`text=You swapped this exercise for ${instead}.`);
  await page.locator(".choices").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${shots}/exercise-swapped-phone.png` });
  await page.goto(url + "/profile");
  assert.ok(await page.isVisible(`text=is swapped for ${instead}`), "the profile lists the swap");
  await page.check(".preferences input[name=forget]");
  await page.click("main form button[type=submit]");
  await page.waitForSelector("text=None yet.");

  // Yesterday's planned session (sent as a phone that kept it would): Today asks the morning check.
  const csrf = await page.getAttribute("meta[name=csrf-token]", "content");
  // Started, the first exercise done (steps last 60 ms here) and its pain check answered, then ended.
  const log = [
    { at: 0, command: { type: "start" } },
    { at: 100000, command: { type: "answer-pain", value: { type: "score", score: 1 } } },
    { at: 100001, command: { type: "end-session" } },
  ];
  const sent = await page.request.post(url + "/api/sessions", {
    headers: { "x-csrf-token": csrf },
    data: { key: "yesterday-1", exercise: [], log, day: "2026-11-23" },
  });
  assert.equal(sent.status(), 200, await sent.text());
  await page.goto(url + "/");
  await page.waitForSelector("text=How is your hip this morning?");
  await audit(page, "Today with the morning check");
  await page.screenshot({ path: `${shots}/morning-check-phone.png` });
  await page.check(".morning input[name=pain][value='1']");
  await page.click("text=Save my morning check");
  await page.waitForSelector("text=Morning check saved.");
  assert.ok(await page.isHidden(".morning"), "asked once");

  await page.goto(url + "/history");
  await page.waitForSelector("text=Done against planned");
  await audit(page, "History with adherence");
  await page.screenshot({ path: `${shots}/history-adherence-phone.png`, fullPage: true });

  // A session logged by mistake is deleted from its page, after a tick.
  await page.click("table.readings a");
  await page.waitForSelector("text=Delete this session");
  await page.click("section.danger button.danger");
  assert.ok(await page.isVisible("text=Delete this session"), "nothing happens without the tick");
  await page.check("section.danger input[name=sure]");
  await audit(page, "a session's page with its delete form");
  await page.click("section.danger button.danger");
  await page.waitForSelector("text=The session is deleted");

  // A reading entered wrong is corrected, then deleted.
  await page.request.post(url + "/measure", {
    form: { _csrf: csrf, position: "seated", side: "left", method: "goniometer", trial1: "4", trial2: "5", trial3: "6" },
  });
  await page.goto(url + "/measure");
  await page.click("text=Correct or delete");
  await page.waitForSelector("h1:text('Correct a reading')");
  await page.fill("#degrees", "40");
  await audit(page, "correcting a reading");
  await page.screenshot({ path: `${shots}/reading-correct-phone.png`, fullPage: true });
  await page.click("text=Save the correction");
  await page.waitForSelector("text=The reading is corrected");
  assert.ok(await page.isVisible("table.readings >> text=40"), "the corrected value is shown");
  await page.click("text=Correct or delete");
  await page.check("section.danger input[name=sure]");
  await page.click("section.danger button.danger");
  await page.waitForSelector("text=The reading is deleted");
  assert.ok(await page.isVisible("text=No measurements yet"));

  console.log(`forms test passed: ${problems.length} missing answers listed at once`);
});
