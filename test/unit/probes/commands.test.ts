import { describe, expect, it } from 'vitest';
import { escapeCommand, inNetns } from '../../../src/exec/escape.js';
import { curlArgv, pingArgv } from '../../../src/probes/commands.js';

describe('probe commands', () => {
  it('ping sends one numeric echo with a whole-second timeout', () => {
    expect(pingArgv('10.0.2.2', 2)).toEqual(['ping', '-n', '-c', '1', '-W', '2', '10.0.2.2']);
    expect(pingArgv('10.0.2.2', 0.2)).toContain('1');
  });

  it('curl is pasteable, ignores proxies and curlrc, and has both timeouts', () => {
    const argv = curlArgv('10.0.1.2', 7070, { connectTimeoutSec: 2, maxTimeSec: 4 });
    expect(argv[0]).toBe('curl');
    expect(argv[1]).toBe('-q');
    expect(argv).toEqual(
      expect.arrayContaining(['--noproxy', '*', '--connect-timeout', '2', '--max-time', '4']),
    );
    expect(argv.at(-1)).toBe('http://10.0.1.2:7070/');
    const pasted = escapeCommand(inNetns('vpc1-privatesub', argv));
    expect(pasted).toMatch(
      /^ip netns exec vpc1-privatesub curl -q -sS -v --noproxy '\*' -o - -w '\\n__vpcprobe__ /,
    );
    expect(pasted).not.toContain('\n');
  });
});
