/**
 * The internet host of the sandbox (198.51.100.10, in namespace `inet`).
 * It records the source address of every request, so a check can prove that
 * a subnet's traffic was masqueraded (the source is 203.0.113.10) rather than
 * merely routed.
 */
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    address: { type: 'string', default: '198.51.100.10' },
    port: { type: 'string', default: '80' },
    log: { type: 'string' },
  },
});
const log = values.log;

const server = createServer((request, response) => {
  const source = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (log) {
    appendFileSync(
      log,
      `${JSON.stringify({ at: new Date().toISOString(), source, method: request.method, url: request.url })}\n`,
    );
  }
  const body = `${JSON.stringify({ host: 'internet', seen: source })}\n`;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
});
server.keepAliveTimeout = 1000;
server.listen(Number(values.port), values.address, () => {
  process.stdout.write(`ready ${values.address}:${values.port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
