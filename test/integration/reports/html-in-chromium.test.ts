import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE4_CRITERIA } from '../../../src/criteria/ids.js';
import { writeHtml } from '../../../src/reports/html.js';
import { PACKAGE_ROOT } from '../../../src/util/paths.js';
import { failingRun, passingRun } from '../../unit/reports/fixtures.js';

// The browser scripts/find-browser.sh picks (the search the set-up shares: VPC_BROWSER,
// CHROME_BIN, chromium, google-chrome, ...); never a browser download. Without one the
// suite is skipped, and its name says why (.ci/run repeats skipped names in its closing line).
const search = spawnSync('bash', [join(PACKAGE_ROOT, 'scripts', 'find-browser.sh')], { encoding: 'utf8' });
const BROWSER = search.status === 0 ? search.stdout.trim() : undefined;
const SKIPPED = BROWSER
  ? ''
  : ` (skipped: ${search.stdout.trim() || search.stderr.trim() || 'scripts/find-browser.sh failed'})`;
if (!BROWSER) console.warn(`report.html in a real browser${SKIPPED}`);
const OUT = join(PACKAGE_ROOT, 'reports', 'html-check');

describe.skipIf(!BROWSER)(`report.html in a real browser${SKIPPED}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: BROWSER,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(name: string, fixture: ReturnType<typeof passingRun>) {
    const dir = join(OUT, name);
    mkdirSync(dir, { recursive: true });
    const path = writeHtml(dir, fixture.summary, fixture.record);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(path).href);
    return { page, dir, dialogs, requests };
  }

  it('shows the verdict first, every criterion with its status, the truth tables and the topology', async () => {
    const { page, dir, requests } = await open('pass', passingRun());
    const verdict = page.locator('.verdict').first();
    await expect(verdict.isVisible()).resolves.toBe(true);
    expect(await verdict.innerText()).toMatch(/PASS/i);
    const criteriaTable = await page.locator('table.criteria').innerText();
    for (const id of STAGE4_CRITERIA) expect(criteriaTable).toContain(id);
    expect(await page.locator('svg').count()).toBeGreaterThan(0);
    expect(await page.locator('svg').first().innerHTML()).toContain('vpc1');
    expect(await page.locator('table').count()).toBeGreaterThan(3);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(10_000);
    expect(requests).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows a failing run as failing, runs none of the target’s markup, and fetches nothing', async () => {
    const { page, dir, dialogs, requests } = await open('fail', failingRun());
    expect(await page.locator('.verdict').first().innerText()).toMatch(/FAIL/i);
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>alert(1)</script>');
    expect(await page.locator('script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
