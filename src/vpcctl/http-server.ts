#!/usr/bin/env node
/**
 * The small HTTP server that `vpcctl deploy-http` starts inside a subnet's
 * namespace: `http-server.js ADDRESS PORT`. It answers GET and HEAD / with 200
 * and a body naming the client's address (handy to check that source
 * addresses are preserved), and logs one line per request.
 *
 * When VPCCTL_READY_FD is set, it writes `ready PID` to that descriptor once
 * it has answered a request to itself, so deploy-http returns only when the
 * server really answers.
 */
import { closeSync, writeSync } from 'node:fs';
import { createServer, get } from 'node:http';

function log(text: string): void {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
}

function fail(text: string): never {
  process.stderr.write(`${new Date().toISOString()} http-server: ${text}\n`);
  process.exit(1);
}

const [address, portText] = process.argv.slice(2);
if (
  !address ||
  !portText ||
  !/^[0-9]{1,5}$/.test(portText) ||
  Number(portText) < 1 ||
  Number(portText) > 65535
) {
  fail('usage: http-server.js ADDRESS PORT');
}
const port = Number(portText);

const server = createServer((req, res) => {
  const client = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
  log(`${client} ${req.method} ${req.url}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (req.url !== '/' && req.url !== '/index.html') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const body = `vpcctl http server on ${address}:${port}\nclient ${req.socket.remoteAddress ?? '?'}\n`;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
});

server.on('error', (error: NodeJS.ErrnoException) =>
  fail(`cannot listen on ${address}:${port}: ${error.code ?? error.message}`),
);

function signalReady(): void {
  const fd = Number(process.env.VPCCTL_READY_FD);
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    writeSync(fd, `ready ${process.pid}\n`);
    closeSync(fd);
  } catch {
    // Nobody is waiting any more; serving is what matters.
  }
}

function selfCheck(triesLeft: number): void {
  const request = get({ host: address, port, path: '/', agent: false, timeout: 1000 }, (res) => {
    res.resume();
    if (res.statusCode === 200) {
      log(`listening on ${address}:${port} (pid ${process.pid})`);
      signalReady();
    } else {
      fail(`self-check got HTTP ${res.statusCode}`);
    }
  });
  request.on('timeout', () => request.destroy(new Error('timeout')));
  request.on('error', (error) => {
    if (triesLeft > 0) setTimeout(() => selfCheck(triesLeft - 1), 50);
    else fail(`self-check failed: ${error.message}`);
  });
}

server.listen(port, address, () => selfCheck(20));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    log(`stopping on ${signal}`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 500).unref();
  });
}
