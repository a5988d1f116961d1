import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fakeAptCache,
  fakeLabTools,
  fakeTool,
  googleChrome,
  makeLayout,
  removeLayouts,
  runScript,
  snapChromiumBrowser,
  writeExecutable,
} from './layout.js';

// `setup.sh --plan test` over fake machines: the decisions a Debian box, an
// Ubuntu runner and a machine without any browser lead to, with nothing installed.

afterAll(removeLayouts);

describe('set-up decisions (setup.sh --plan)', () => {
  it('Debian: chromium on PATH is the browser, and nothing needs installing', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    const chromium = fakeTool(layout, 'chromium');
    fakeAptCache(layout, [{ name: 'chromium' }, { name: 'nftables' }]);
    const out = runScript(layout, 'setup.sh', ['--plan', 'test']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.plan).toContain(`browser: ${chromium} (chromium on PATH)`);
    expect(out.plan).toContain(`tool nft: ${join(layout.bin, 'nft')}`);
    expect(out.plan.filter((l) => l.startsWith('install'))).toEqual([]);
  });

  it('Debian without chromium and nft: installs nftables, and chromium as the optional browser', () => {
    const layout = makeLayout();
    fakeLabTools(layout, ['nft']);
    fakeAptCache(layout, [{ name: 'chromium' }, { name: 'nftables' }]);
    const out = runScript(layout, 'setup.sh', ['--plan', 'test']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.plan).toContain('tool nft: missing, apt package nftables');
    expect(out.plan).toContain('install: nftables');
    expect(out.plan).toContain('browser: none yet, apt package chromium');
    expect(out.plan).toContain('install (optional): chromium');
  });

  it('Ubuntu runner: Google Chrome is chosen, the snap chromium-browser wrapper is turned down', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    const stub = snapChromiumBrowser(layout);
    const chrome = googleChrome(layout);
    fakeAptCache(layout, [{ name: 'chromium-browser', depends: 'snapd' }]);
    const out = runScript(layout, 'setup.sh', ['--plan', 'test']);
    expect(out.status, out.stderr).toBe(0);
    expect(out.plan).toContain(`browser: ${chrome} (google-chrome on PATH)`);
    expect(out.plan).toContain(
      `browser turned down: ${stub} (chromium-browser on PATH): a snap wrapper (needs snapd; never used)`,
    );
    expect(out.plan.filter((l) => l.startsWith('install'))).toEqual([]);
  });

  it('Ubuntu runner: CHROME_BIN, as runners set it, comes before anything on PATH', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    fakeTool(layout, 'chromium');
    const chrome = googleChrome(layout);
    const out = runScript(layout, 'setup.sh', ['--plan', 'test'], { CHROME_BIN: chrome });
    expect(out.plan).toContain(`browser: ${chrome} (CHROME_BIN)`);
    // VPC_BROWSER comes first of all, and a bare name means a command on PATH.
    const explicit = runScript(layout, 'setup.sh', ['--plan', 'test'], {
      CHROME_BIN: chrome,
      VPC_BROWSER: 'chromium',
    });
    expect(explicit.plan).toContain(`browser: ${join(layout.bin, 'chromium')} (VPC_BROWSER)`);
  });

  it('no browser anywhere and none apt would install: the report test is skipped with the reason, exit 0', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    snapChromiumBrowser(layout);
    // An apt "chromium" that is only a snap wrapper is never installed either.
    fakeAptCache(layout, [{ name: 'chromium', depends: 'snapd, debconf' }]);
    const out = runScript(layout, 'setup.sh', ['--plan', 'test']);
    expect(out.status, out.stderr).toBe(0);
    const browser = out.plan.find((l) => l.startsWith('browser: ')) ?? '';
    expect(browser).toMatch(
      /^browser: none, the report test will be skipped: no browser found \(looked at VPC_BROWSER, CHROME_BIN/,
    );
    expect(browser).toContain('set VPC_BROWSER to a Chromium or Chrome binary');
    expect(browser).toContain('chromium-browser on PATH): a snap wrapper');
    expect(out.plan.filter((l) => l.startsWith('install'))).toEqual([]);
  });

  it('finds a browser in the Playwright cache when nothing is on PATH', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    const cached = writeExecutable(
      join(layout.home, '.cache', 'ms-playwright', 'chromium-1187', 'chrome-linux', 'chrome'),
      '#!/bin/sh\n',
    );
    const out = runScript(layout, 'setup.sh', ['--plan', 'test']);
    expect(out.plan).toContain(`browser: ${cached} (the Playwright cache)`);
  });

  it('without `test` it looks for no browser', () => {
    const layout = makeLayout();
    fakeLabTools(layout);
    const out = runScript(layout, 'setup.sh', ['--plan']);
    expect(out.status).toBe(0);
    expect(out.plan.some((l) => l.startsWith('browser'))).toBe(false);
  });

  it('checks tools by the command they provide, also in the sbin folders a user PATH lacks', () => {
    const layout = makeLayout();
    fakeLabTools(layout, ['ip', 'iptables']);
    const sbin = join(layout.root, 'usr', 'sbin');
    fakeTool(layout, 'ip', sbin);
    fakeTool(layout, 'iptables', sbin);
    fakeAptCache(layout, [{ name: 'iproute2' }, { name: 'iptables' }]);
    const out = runScript(layout, 'setup.sh', ['--plan'], { VPC_SETUP_SBIN_DIRS: sbin });
    expect(out.plan).toContain(`tool ip: ${sbin}/ip`);
    expect(out.plan).toContain(`tool iptables: ${sbin}/iptables`);
    const without = runScript(layout, 'setup.sh', ['--plan']);
    expect(without.plan).toContain('install: iproute2 iptables');
  });

  it('a required tool apt knows no package for is one clear error naming it, exit 3', () => {
    const layout = makeLayout();
    fakeLabTools(layout, ['nft', 'unshare']);
    fakeAptCache(layout, [{ name: 'util-linux' }]);
    const out = runScript(layout, 'setup.sh', ['--plan']);
    expect(out.status).toBe(3);
    expect(out.plan).toContain('tool nft: missing, and apt knows no package nftables');
    expect(out.plan).toContain('install: util-linux');
    expect(out.stderr).toMatch(
      /^setup: E_ENVIRONMENT: this machine lacks the commands nft \(nftables\), and apt \(apt-cache policy\) knows none of these packages\.\nsetup: install them with your system's package manager/,
    );
    // Without apt-cache at all (not Debian or Ubuntu), everything missing is named at once.
    const bare = makeLayout();
    fakeLabTools(bare, ['ping', 'curl']);
    const none = runScript(bare, 'setup.sh', ['--plan']);
    expect(none.status).toBe(3);
    expect(none.stderr).toContain('lacks the commands ping (iputils-ping), curl (curl),');
  });
});
