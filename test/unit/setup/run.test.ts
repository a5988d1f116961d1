import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fakeAptCache,
  fakeAptGet,
  fakeLabTools,
  googleChrome,
  makeLayout,
  prepareRealRun,
  removeLayouts,
  runScript,
  snapChromiumBrowser,
} from './layout.js';

// A real run of setup.sh (not --plan) on a fake machine whose apt-get only logs
// and "installs" fake commands: what it installs, and that the browser is optional.

const aptCalls = (log: string) =>
  readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('npm '));

afterAll(removeLayouts);

describe('setup.sh acting on its plan', () => {
  it('installs the missing required package and chromium, then uses the chromium it installed', () => {
    const layout = makeLayout();
    prepareRealRun(layout);
    fakeLabTools(layout, ['ping']);
    fakeAptCache(layout, [{ name: 'iputils-ping' }, { name: 'chromium' }]);
    fakeAptGet(layout, { 'iputils-ping': ['ping'], chromium: ['chromium'] });
    const out = runScript(layout, 'setup.sh', ['test']);
    expect(out.status, out.stderr).toBe(0);
    expect(aptCalls(layout.aptLog)).toEqual([
      '-o DPkg::Lock::Timeout=600 update -qq',
      '-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends iputils-ping',
      '-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium',
    ]);
    expect(out.stdout).toContain(
      `setup: report test browser: ${join(layout.bin, 'chromium')} (chromium on PATH)`,
    );
    expect(readFileSync(layout.aptLog, 'utf8')).toContain('npm ci');
  });

  it('a browser apt cannot install is not fatal: the set-up goes on and says the report test is skipped', () => {
    const layout = makeLayout();
    prepareRealRun(layout);
    fakeLabTools(layout);
    fakeAptCache(layout, [{ name: 'chromium' }]);
    fakeAptGet(layout, { chromium: ['chromium'] }, ['chromium']);
    const out = runScript(layout, 'setup.sh', ['test']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain('setup: could not install chromium (output above); going on without it');
    expect(out.stderr).toMatch(/setup: the report test will be skipped: no browser found/);
  });

  it('on an Ubuntu runner it installs no browser and takes Google Chrome', () => {
    const layout = makeLayout();
    prepareRealRun(layout);
    fakeLabTools(layout);
    snapChromiumBrowser(layout);
    const chrome = googleChrome(layout);
    fakeAptCache(layout, [{ name: 'chromium-browser', depends: 'snapd' }]);
    fakeAptGet(layout, {});
    const out = runScript(layout, 'setup.sh', ['test']);
    expect(out.status, out.stderr).toBe(0);
    expect(aptCalls(layout.aptLog)).toEqual([]);
    expect(out.stdout).toContain(`setup: report test browser: ${chrome} (google-chrome on PATH)`);
  });

  it('a fresh machine whose apt has no package lists yet: reads them, then installs', () => {
    const layout = makeLayout();
    prepareRealRun(layout);
    fakeLabTools(layout, ['nft']);
    fakeAptCache(layout, [], [{ name: 'nftables' }, { name: 'chromium' }]);
    fakeAptGet(layout, { nftables: ['nft'], chromium: ['chromium'] });
    expect(runScript(layout, 'setup.sh', ['--plan', 'test']).status).toBe(3);
    const out = runScript(layout, 'setup.sh', ['test']);
    expect(out.status, out.stderr).toBe(0);
    expect(aptCalls(layout.aptLog)).toEqual([
      '-o DPkg::Lock::Timeout=600 update -qq',
      '-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nftables',
      '-o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium',
    ]);
    expect(out.stdout).toContain(
      `setup: report test browser: ${join(layout.bin, 'chromium')} (chromium on PATH)`,
    );
  });

  it('a required package apt-get fails to install stops the set-up with exit 3', () => {
    const layout = makeLayout();
    prepareRealRun(layout);
    fakeLabTools(layout, ['nft']);
    fakeAptCache(layout, [{ name: 'nftables' }]);
    fakeAptGet(layout, { nftables: ['nft'] }, ['nftables']);
    const out = runScript(layout, 'setup.sh', []);
    expect(out.status).toBe(3);
    expect(out.stderr).toContain('setup: E_ENVIRONMENT: apt-get could not install nftables');
  });
});

describe('scripts/find-browser.sh run on its own (what the report test calls)', () => {
  it('prints the path and exits 0, or prints why and exits 1', () => {
    const layout = makeLayout();
    const chrome = googleChrome(layout);
    const found = runScript(layout, 'find-browser.sh', []);
    expect([found.status, found.stdout]).toEqual([0, `${chrome}\n`]);
    const none = runScript(layout, 'find-browser.sh', [], { VPC_BROWSER: 'none' });
    expect([none.status, none.stdout]).toEqual([1, 'VPC_BROWSER=none\n']);
    const missing = runScript(layout, 'find-browser.sh', [], { CHROME_BIN: '/nonexistent/chrome' });
    expect(missing.stdout).toBe(`${chrome}\n`);
    expect(missing.stderr).toContain('turned down /nonexistent/chrome (CHROME_BIN): not an executable file');
  });
});
