import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VpcError } from '../../../../src/util/errors.js';
import { emptyState } from '../../../../src/vpcctl/model.js';
import { StateStore, stateDirFrom } from '../../../../src/vpcctl/state/store.js';
import { seedState } from '../plan/helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function store(): StateStore {
  const dir = mkdtempSync(join(tmpdir(), 'vpcctl-store-'));
  dirs.push(dir);
  return new StateStore(join(dir, 'state'));
}

describe('state directory', () => {
  it('is /var/lib/vpcctl unless VPCCTL_STATE_DIR says otherwise', () => {
    expect(stateDirFrom({})).toBe('/var/lib/vpcctl');
    expect(stateDirFrom({ VPCCTL_STATE_DIR: ' ' })).toBe('/var/lib/vpcctl');
    expect(stateDirFrom({ VPCCTL_STATE_DIR: '/tmp/x' })).toBe('/tmp/x');
  });
});

describe('StateStore', () => {
  it('loads an empty state when there is no file yet, and round-trips a saved one', () => {
    const s = store();
    expect(s.load()).toEqual(emptyState());
    const state = seedState();
    s.save(state);
    expect(s.load()).toEqual(state);
    expect(readdirSync(s.dir)).toEqual(['state.json']);
  });

  it('validates on load and names what is wrong', () => {
    const s = store();
    s.save(emptyState());
    writeFileSync(
      s.file,
      '{"version":1,"vpcs":[{"name":"vpc1","cidr":"10.0.0.0/33"}],"peerings":[],"isolations":[],"allows":[]}',
    );
    let error: unknown;
    try {
      s.load();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VpcError);
    expect((error as VpcError).code).toBe('E_STATE');
    expect((error as VpcError).message).toMatch(
      /\/vpcs\/0\/cidr: "10\.0\.0\.0\/33" does not have the expected form/,
    );
    expect((error as VpcError).message).toMatch(/\/vpcs\/0: missing required property "id"/);
    writeFileSync(s.file, '{"version":1,');
    expect(() => s.load()).toThrow(/is not valid JSON/);
  });

  it('refuses to write an invalid state (the file stays as it was)', () => {
    const s = store();
    s.save(emptyState());
    const bad = { ...emptyState(), vpcs: [{ name: 'x' }] } as never;
    expect(() => s.save(bad)).toThrow(/refusing to write an invalid state/);
    expect(JSON.parse(readFileSync(s.file, 'utf8'))).toEqual(emptyState());
  });

  it('the lock is exclusive: a second taker waits, then gives up naming the holder', () => {
    const a = store();
    const b = new StateStore(a.dir);
    a.lock();
    const started = Date.now();
    expect(() => b.lock({ timeoutMs: 100 })).toThrow(
      new RegExp(`another vpcctl \\(pid ${process.pid}\\) holds`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    a.unlock();
    b.lock({ timeoutMs: 100 });
    expect(b.locked).toBe(true);
    b.unlock();
    expect(existsSync(b.lockFile)).toBe(false);
  });

  it('takes over a lock whose holder is dead', () => {
    const a = store();
    a.lock();
    const b = new StateStore(a.dir);
    b.lock({ timeoutMs: 100, isAlive: () => false });
    expect(b.locked).toBe(true);
    // a's unlock must not remove b's lock.
    a.unlock();
    expect(existsSync(a.lockFile)).toBe(true);
    b.unlock();
    expect(readdirSync(a.dir)).toEqual([]);
  });
});
