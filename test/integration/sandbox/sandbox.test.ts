import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../../lab/sandbox/index.js';
import { parseTranscript } from '../../../src/exec/transcript.js';
import { isRoot } from '../../helpers/root.js';

describe.skipIf(!isRoot)('sandbox', () => {
  it('joins two namespaces by a veth, pings across, and the internet host records the source of an HTTP request', async () => {
    const script = `
      set -e
      ip netns add left; ip netns add right
      ip link add l0 type veth peer name r0
      ip link set l0 netns left; ip link set r0 netns right
      ip -n left addr add 10.9.0.1/24 dev l0; ip -n right addr add 10.9.0.2/24 dev r0
      ip -n left link set l0 up; ip -n right link set r0 up
      ip netns exec left ping -n -c 1 -W 2 10.9.0.2 >/dev/null && echo "PING ok"
      curl -sS --max-time 5 http://198.51.100.10/ >/dev/null && echo "HTTP ok"
      echo "LOG $(tail -n 1 "$VPC_SANDBOX_INET_LOG")"
    `;
    const result = await runInSandbox(['bash', '-c', script]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('PING ok');
    expect(result.stdout).toContain('HTTP ok');
    const logLine = result.stdout.split('\n').find((line) => line.startsWith('LOG '));
    expect(JSON.parse(logLine?.slice(4) ?? 'null')).toMatchObject({ source: '203.0.113.10', method: 'GET' });
  });

  it('offers the documented starting point: uplink, routes, empty resolv.conf, own /sys, fresh start state', async () => {
    const script = `
      ip -4 -o addr show dev eth0 | awk '{print "ADDR", $4}'
      ip route show default | sed 's/^/ROUTE /'
      echo "RESOLV [$(cat /etc/resolv.conf)]"
      echo "SYS $(ls /sys/class/net | tr '\\n' ' ')"
      echo "FWD $(cat /proc/sys/net/ipv4/ip_forward)"
      iptables -S FORWARD | head -1 | sed 's/^/POLICY /'
      echo "NETNS $(ip netns list | cut -d' ' -f1 | tr '\\n' ' ')"
      echo "INET $(ip netns exec inet ip -4 -o addr | awk '{print $4}' | sort | tr '\\n' ' ')"
      ip netns exec inet ip route get 10.0.1.2 2>&1 | head -1 | sed 's/^/INETROUTE /'
    `;
    const result = await runInSandbox(['bash', '-c', script]);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('ADDR 203.0.113.10/24');
    expect(lines.find((l) => l.startsWith('ROUTE '))).toMatch(/^ROUTE default via 203\.0\.113\.1 dev eth0/);
    expect(lines).toContain('RESOLV []');
    expect(lines).toContain('SYS eth0 lo ');
    expect(lines).toContain('FWD 0');
    expect(lines).toContain('POLICY -P FORWARD ACCEPT');
    expect(lines).toContain('NETNS inet ');
    expect(lines).toContain('INET 127.0.0.1/8 198.51.100.10/32 203.0.113.1/24 ');
    // The internet cannot route back to private space: only masqueraded traffic gets answers.
    expect(lines.find((l) => l.startsWith('INETROUTE '))).toMatch(/unreachable|Network is unreachable/);
  });

  it('can start from the docker-host state', async () => {
    const result = await runInSandbox(
      ['bash', '-c', 'cat /proc/sys/net/ipv4/ip_forward; iptables -S FORWARD; iptables -S DOCKER-USER'],
      { startState: 'docker-host' },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^1\n-P FORWARD DROP\n-A FORWARD -j DOCKER-USER/);
    expect(result.stdout).toContain('-N DOCKER-USER');
  });

  it('keeps files written to /tmp, /etc, /var/lib, /run and HOME private, and keep-paths writable', async () => {
    const kept = mkdtempSync(join(tmpdir(), 'sandbox-keep-'));
    const marker = `vpc-sandbox-test-${process.pid}-${Date.now()}`;
    const home = process.env.HOME ?? '/root';
    const script = `
      set -e
      for d in /tmp /etc /var/lib /run "$HOME"; do echo x > "$d/${marker}"; done
      mkdir -p /var/lib/vpcctl /etc/vpcctl && echo x > /var/lib/vpcctl/${marker}
      echo written > "${kept}/out.txt"
    `;
    const result = await runInSandbox(['bash', '-c', script], { keepPaths: [kept] });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    for (const dir of ['/tmp', '/etc', '/var/lib', '/run', home, '/var/lib/vpcctl']) {
      expect(existsSync(join(dir, marker)), `${dir}/${marker} leaked to the host`).toBe(false);
    }
    expect(readFileSync(join(kept, 'out.txt'), 'utf8')).toBe('written\n');
  });

  it('never truncates a kept file, on its own or inside a kept folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-keep-file-'));
    const alone = join(mkdtempSync(join(tmpdir(), 'sandbox-keep-alone-')), 'profile.json');
    const nested = join(dir, 'profile.json');
    writeFileSync(alone, '{"alone": true}');
    writeFileSync(nested, '{"nested": true}');
    const result = await runInSandbox(['sh', '-c', `cat ${alone} ${nested}`], {
      keepPaths: [dir, nested, alone],
    });
    expect(result.stdout).toBe('{"alone": true}{"nested": true}');
    expect(readFileSync(alone, 'utf8')).toBe('{"alone": true}');
    expect(readFileSync(nested, 'utf8')).toBe('{"nested": true}');
  });

  it('kills every process the payload left behind', async () => {
    const marker = `vpc-orphan-${process.pid}-${Date.now()}`;
    const result = await runInSandbox(['bash', '-c', `(exec -a ${marker} sleep 600 &) ; echo started`]);
    expect(result.stdout).toBe('started\n');
    expect(hostProcessesMatching(marker)).toEqual([]);
  });

  it('gives /tmp a size: a payload that fills it meets ENOSPC (not the host memory), and the harness scratch space stays free', async () => {
    const result = await runInSandbox(
      [
        'bash',
        '-c',
        'dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1 | grep -m1 -o "No space left on device"; echo "harness tmp: $VPC_SANDBOX_HARNESS_TMP"; : > "$VPC_SANDBOX_HARNESS_TMP/ok" && echo writable',
      ],
      { env: { VPC_SANDBOX_TMP_SIZE: '16m' } },
    );
    expect(result.stdout).toContain('No space left on device');
    expect(result.stdout).toContain('harness tmp: /run/vpc-sandbox/tmp');
    expect(result.stdout).toContain('writable');
  });

  it('records its own set-up commands in the transcript', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-transcript-'));
    const path = join(dir, 'transcript.log');
    const result = await runInSandbox(['bash', '-c', 'echo "T=$VPC_TRANSCRIPT"'], { transcriptPath: path });
    expect(result.stdout).toBe(`T=${path}\n`);
    const parsed = parseTranscript(readFileSync(path, 'utf8'));
    const commands = parsed.commands.map((c) => c.escapedCommand);
    expect(commands).toContain('mount -t tmpfs -o mode=1777,size=512m vpc-tmp /tmp');
    expect(commands).toContain('ip link add eth0 type veth peer name wan0 netns inet');
    expect(commands).toContain('ip route add default via 203.0.113.1');
    for (const command of parsed.commands) {
      expect(command.exitCode, command.escapedCommand).toBe(0);
      expect(Date.parse(command.startedAt)).not.toBeNaN();
      expect(command.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(parsed.commands.find((c) => c.argv[2] === 'exec' && c.argv[3] === 'inet')?.netns).toBe('inet');
  });
});

/** Command lines of host processes that contain `marker`. */
function hostProcessesMatching(marker: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    })
    .filter((cmdline) => cmdline.includes(marker));
}
