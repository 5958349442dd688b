// Opens a licit report page in headless Chromium and checks it as a
// reader's browser sees it: no console error, no network request, the
// expected figures in the DOM, keyboard focus on figures, no sideways
// scrolling on a phone, navigation hidden in print; writes screenshots.
// Usage: node report.mjs PAGE.html EXPECT.json SHOT_PREFIX
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [page_path, expect_path, shot] = process.argv.slice(2);
const expect = JSON.parse(readFileSync(expect_path, 'utf8'));
const url = pathToFileURL(page_path).href;
const failures = [];
const fail = (m) => failures.push(m);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') fail(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) fail(`request: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });

  for (const e of expect) {
    const el = await page.$(e.sel);
    if (!el) { fail(`${e.sel}: not in the page`); continue; }
    if (e.attr !== undefined) {
      const v = await el.getAttribute(e.attr);
      if (v !== e.eq) fail(`${e.sel} ${e.attr}: "${v}", expected "${e.eq}"`);
    }
    if (e.text !== undefined) {
      const t = (await el.innerText()).replace(/\s+/g, ' ').trim();
      if (!t.includes(e.text)) fail(`${e.sel} text: "${t}", expected to hold "${e.text}"`);
    }
  }

  await page.screenshot({ path: `${shot}.png` });
  await page.screenshot({ path: `${shot}-full.png`, fullPage: true });
  const direct = await page.$('#direct');
  if (direct) await direct.screenshot({ path: `${shot}-direct.png` });

  // keyboard: the skip link first, then figures and bars take the focus
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.className);
  if (first !== 'skip') fail(`first Tab stop: "${first}", expected the skip link`);
  const focusable = await page.evaluate(() =>
    document.querySelectorAll('td[tabindex="0"], svg g.bar[tabindex="0"]').length);
  if (!focusable) fail('no focusable figure');
  // every chart: a title and a text alternative
  const bad = await page.evaluate(() => [...document.querySelectorAll('svg.chart')].filter((s) => {
    const ids = (s.getAttribute('aria-labelledby') || '').split(' ');
    return s.getAttribute('role') !== 'img' || ids.length !== 2 || ids.some((i) => !document.getElementById(i)?.textContent);
  }).length);
  if (bad) fail(`${bad} charts without a title and a description`);
  // "rows behind" open with a click on their summary, or on a group's
  // name in a table (a link into them), without script
  const det = await page.$('details');
  if (det) {
    await det.$eval('summary', (s) => s.click());
    if (!(await det.evaluate((d) => d.open))) fail('a <details> did not open');
  }
  const link = await page.$('#direct a[href^="#rows-"]');
  if (link) {
    const target = (await link.getAttribute('href')).slice(1);
    await link.click();
    const open = await page.evaluate((id) => document.getElementById(id).closest('details').open, target);
    if (!open) fail(`the link to #${target} did not open its rows`);
  }

  // a phone: nothing wider than the screen but the tables' own boxes
  await page.setViewportSize({ width: 390, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 392) fail(`phone: the page is ${wide}px wide for a 390px screen`);
  await page.screenshot({ path: `${shot}-phone.png` });

  // print: navigation hidden
  await page.emulateMedia({ media: 'print' });
  const nav = await page.evaluate(() => getComputedStyle(document.querySelector('nav')).display);
  if (nav !== 'none') fail(`print: the navigation is shown (${nav})`);
  await ctx.close();
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(failures.join('\n'));
  process.exit(1);
}
console.log(`${page_path}: ${expect.length} figures, no console error, no request`);
