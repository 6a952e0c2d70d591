// Renders the app icon (crates/hipcoach-web/src/assets/icons/icon.svg) to the PNG sizes that
// home screens ask for, with Debian's Chromium. Run after changing the SVG:
//   node scripts/render-icons.mjs
// The PNGs are committed: the server embeds them, and nothing renders at build time.
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";

const dir = "crates/hipcoach-web/src/assets/icons";
const svg = readFileSync(`${dir}/icon.svg`, "utf8");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
for (const size of [180, 192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
  await page.screenshot({ path: `${dir}/icon-${size}.png`, omitBackground: false });
  await page.close();
}
await browser.close();
