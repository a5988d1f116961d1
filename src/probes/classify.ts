import type { CommandResult } from '../exec/types.js';
import type { ProbeKind, ProbeOutcome } from '../model/probe.js';
import { CURL_MARK } from './commands.js';

/**
 * From a probe's CommandResult to an outcome. Order matters: the harness's own
 * failures (no namespace, no binary, killed) are recognised first, because
 * `ip netns exec` exits 1 or 255 for them, codes that ping and curl also use.
 * An `error` is never read as "blocked" (docs/architecture.md "Probes").
 */
export interface Classified {
  outcome: ProbeOutcome;
  /** One line: what the tool said. */
  detail: string;
  httpStatus?: number;
  /** The client address the harness listener saw (its JSON answer). */
  seenSource?: string;
  /** The source address the probe used (curl's local_ip). */
  localAddress?: string;
}

const HARNESS_ERRORS: [RegExp, string][] = [
  [/Cannot open network namespace[^\n]*/, 'the namespace is gone'],
  [/exec of "[^"]*" failed[^\n]*/, 'the probe tool is missing'],
  [/command not found[^\n]*/, 'the probe tool is missing'],
  [/setting the network namespace[^\n]*failed[^\n]*/, 'cannot enter the namespace'],
  [/ping: socket: [^\n]*/, 'ping cannot open its socket'],
  [/mount of \/sys failed[^\n]*/, 'cannot enter the namespace'],
];

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}

function harnessError(result: CommandResult): Classified | undefined {
  if (result.spawnError) return { outcome: 'error', detail: `could not start: ${result.spawnError}` };
  if (result.timedOut) {
    return {
      outcome: 'error',
      detail: `killed by the harness after ${result.durationMs} ms: the probe did not stop at its own timeout`,
    };
  }
  if (result.signal) return { outcome: 'error', detail: `killed by ${result.signal}` };
  for (const [pattern, meaning] of HARNESS_ERRORS) {
    const match = pattern.exec(result.stderr);
    if (match) return { outcome: 'error', detail: `${meaning}: ${match[0].trim()}` };
  }
  if (result.exitCode === 127 || result.exitCode === 126) {
    return {
      outcome: 'error',
      detail: `exit ${result.exitCode}: ${firstLine(result.stderr) || 'cannot run'}`,
    };
  }
  return undefined;
}

/** ICMP error lines ping prints (iputils `pr_icmph`), all "the network said no". */
const PING_ICMP_ERROR =
  /From \S+ icmp_seq=\d+ (Destination [\w ]*(?:Unreachable|Prohibited|Unknown)[^\n]*|Packet filtered|Source Host Isolated|Time to live exceeded|Frag needed[^\n]*|Source Route Failed|Precedence (?:Violation|Cutoff))/;

export function classifyPing(result: CommandResult): Classified {
  const broken = harnessError(result);
  if (broken) return broken;
  const out = result.stdout;
  if (result.exitCode === 0) {
    const reply = /\d+ bytes from [^\n]*/.exec(out);
    return { outcome: 'connected', detail: reply ? reply[0].trim() : 'reply received' };
  }
  const icmpError = PING_ICMP_ERROR.exec(out);
  if (icmpError) return { outcome: 'unreachable', detail: icmpError[0].trim() };
  const local =
    /ping: (?:connect|sendmsg|sendto): (Network is unreachable|No route to host|Operation not permitted)/.exec(
      result.stderr,
    );
  if (local) {
    const reason = local[1] === 'Operation not permitted' ? ' (a local firewall rule rejected it)' : '';
    return { outcome: 'unreachable', detail: `${local[0]}${reason}` };
  }
  if (result.exitCode === 1 && /\b0 received\b/.test(out)) {
    return { outcome: 'timeout', detail: 'no reply before the timeout (100% packet loss)' };
  }
  return {
    outcome: 'error',
    detail: `ping exited ${result.exitCode ?? '?'}: ${firstLine(result.stderr) || firstLine(out) || 'no output'}`,
  };
}

export interface CurlOutput {
  body: string;
  httpStatus: number | undefined;
  /** Seconds until the TCP connect finished; 0 = it never did. */
  connectSec: number;
  localAddress: string | undefined;
  remoteAddress: string | undefined;
}

/** Split curl's stdout into the body and the `-w` line written after it. */
export function parseCurlOutput(stdout: string): CurlOutput | undefined {
  const at = stdout.lastIndexOf(`\n${CURL_MARK} `);
  if (at < 0) return undefined;
  const body = stdout.slice(0, at);
  const fields = stdout
    .slice(at + CURL_MARK.length + 2)
    .split('\n')[0]
    ?.split(' ');
  const [code = '', connect = '', local = '', remote = ''] = fields ?? [];
  const status = Number.parseInt(code, 10);
  return {
    body,
    httpStatus: Number.isFinite(status) && status > 0 ? status : undefined,
    connectSec: Number.parseFloat(connect) || 0,
    localAddress: local || undefined,
    remoteAddress: remote || undefined,
  };
}

/** The `seen` address of the harness listener's JSON answer (undefined for any other server). */
export function seenSourceOf(body: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value === 'object' && value !== null && 'seen' in value) {
      const seen = (value as { seen: unknown }).seen;
      return typeof seen === 'string' && seen !== '' ? seen : undefined;
    }
  } catch {
    // Not the listener's answer.
  }
  return undefined;
}

function curlMessage(stderr: string): string {
  const lines = stderr.split('\n');
  const verdict = lines.filter((l) => l.startsWith('curl: (')).pop();
  return verdict?.trim() ?? firstLine(stderr);
}

export function classifyCurl(result: CommandResult): Classified {
  const broken = harnessError(result);
  if (broken) return broken;
  const parsed = parseCurlOutput(result.stdout);
  const extra = {
    ...(parsed?.httpStatus === undefined ? {} : { httpStatus: parsed.httpStatus }),
    ...(parsed?.localAddress === undefined ? {} : { localAddress: parsed.localAddress }),
  };
  const seen = parsed ? seenSourceOf(parsed.body) : undefined;
  if (seen !== undefined) Object.assign(extra, { seenSource: seen });
  const stderr = result.stderr;

  if (result.exitCode === 0) {
    const status = parsed?.httpStatus;
    return {
      outcome: 'connected',
      detail: `HTTP ${status ?? '?'}${seen ? `, the listener saw ${seen}` : ''}`,
      ...extra,
    };
  }
  // The TCP handshake completed: the packet arrived, whatever happened next.
  if (parsed && parsed.connectSec > 0) {
    return { outcome: 'connected', detail: `connected, then: ${curlMessage(stderr)}`, ...extra };
  }
  if (result.exitCode === 7) {
    if (/Connection refused/.test(stderr)) {
      return {
        outcome: 'refused',
        detail: 'connection refused (a TCP RST or ICMP port unreachable came back)',
      };
    }
    const route =
      /(No route to host|Network is unreachable|Host is unreachable|Operation not permitted)/.exec(stderr);
    if (route) return { outcome: 'unreachable', detail: `connect failed: ${route[1]}` };
    return { outcome: 'error', detail: `curl could not connect and did not say why: ${curlMessage(stderr)}` };
  }
  if (result.exitCode === 28) {
    return { outcome: 'timeout', detail: curlMessage(stderr) || 'connect timed out' };
  }
  return {
    outcome: 'error',
    detail: `curl exited ${result.exitCode ?? '?'}: ${curlMessage(stderr) || firstLine(result.stdout) || 'no output'}`,
  };
}

export function classify(kind: ProbeKind, result: CommandResult): Classified {
  return kind === 'icmp' ? classifyPing(result) : classifyCurl(result);
}
