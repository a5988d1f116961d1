/**
 * argv builders for probes. Each probe is a new process, so it opens a new
 * flow (a new ICMP id, a new TCP source port): conntrack cannot let an old
 * flow through after a rule change.
 */

/** Marks the line curl writes after the body, so the body can be anything. */
export const CURL_MARK = '__vpcprobe__';

/**
 * curl's `-w` format (curl expands `\n` itself): the HTTP status, when the TCP
 * connect finished (0 = never), and both ends of the connection.
 */
export const CURL_WRITE_OUT = `\\n${CURL_MARK} %{http_code} %{time_connect} %{local_ip} %{remote_ip}\\n`;

/** Seconds with one decimal (ping and curl both take fractions). */
export function seconds(value: number): string {
  return String(Math.max(0.1, Math.round(value * 10) / 10));
}

export function pingArgv(address: string, timeoutSec: number): string[] {
  return ['ping', '-n', '-c', '1', '-W', seconds(timeoutSec), address];
}

export interface CurlTimeouts {
  connectTimeoutSec: number;
  maxTimeSec: number;
}

export function httpUrl(address: string, port: number): string {
  return `http://${address}:${port}/`;
}

/**
 * One HTTP GET. `-q` ignores any ~/.curlrc and `--noproxy '*'` any proxy
 * variables: a probe must go straight to the address, never elsewhere.
 * `-v` because curl 7.x reports a refused connection and a missing route with
 * the same exit code and message; only the verbose trace names the errno.
 */
export function curlArgv(address: string, port: number, timeouts: CurlTimeouts): string[] {
  return [
    'curl',
    '-q',
    '-sS',
    '-v',
    '--noproxy',
    '*',
    '-o',
    '-',
    '-w',
    CURL_WRITE_OUT,
    '--connect-timeout',
    seconds(timeouts.connectTimeoutSec),
    '--max-time',
    seconds(timeouts.maxTimeSec),
    httpUrl(address, port),
  ];
}
