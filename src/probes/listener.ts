#!/usr/bin/env node
/**
 * The harness's own TCP listener, started inside a subnet's namespace:
 *
 *   ip netns exec NS node dist/src/probes/listener.js --port 7070 --port 22 [--log]
 *
 * It answers every HTTP request with 200 and `{"seen":"<client address>","port":N}`,
 * so a TCP probe both proves the connection and tells which source address
 * arrived (source preservation, NAT). It prints `ready` once every port
 * listens; with `--log` it also prints one JSON line per request.
 *
 * Because the harness owns the listener, a probe that cannot connect was
 * stopped on the path, not by a closed port.
 */
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface ListenerArgs {
  ports: number[];
  log: boolean;
  host: string;
}

export function parseListenerArgs(argv: readonly string[]): ListenerArgs {
  const ports: number[] = [];
  let log = false;
  let host = '0.0.0.0';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--log') {
      log = true;
    } else if (arg === '--port' || arg === '--host') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      if (arg === '--host') {
        host = value;
      } else {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
          throw new Error(`--port ${value}: not a TCP port (1-65535)`);
        }
        if (!ports.includes(port)) ports.push(port);
      }
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)} (usage: --port N [--port N ...] [--log])`);
    }
  }
  if (ports.length === 0) throw new Error('give at least one --port');
  return { ports, log, host };
}

/** The address without the IPv4-mapped IPv6 prefix Node adds on dual-stack sockets. */
export function plainAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function answerBody(seen: string, port: number): string {
  return `${JSON.stringify({ seen, port })}\n`;
}

function listenOn(port: number, host: string, log: boolean): Promise<Server> {
  const server = createServer((request, response) => {
    const seen = plainAddress(request.socket.remoteAddress);
    const body = answerBody(seen, request.socket.localPort ?? port);
    // A new connection for each probe: no keep-alive, so conntrack sees a new flow every time.
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
    if (log) process.stdout.write(body);
  });
  server.keepAliveTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export async function startListeners(args: ListenerArgs): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    for (const port of args.ports) servers.push(await listenOn(port, args.host, args.log));
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  return servers;
}

async function main(): Promise<void> {
  let args: ListenerArgs;
  try {
    args = parseListenerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`listener: ${(error as Error).message}\n`);
    process.exit(2);
  }
  try {
    await startListeners(args);
  } catch (error) {
    process.stderr.write(`listener: cannot listen: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write('ready\n');
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
