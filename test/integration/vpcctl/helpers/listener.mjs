// TCP listeners for probes: `node listener.mjs ADDRESS PORT...`. Each accepted
// connection gets one line, the client's address as this end saw it (so a
// probe can tell whether the source was preserved or NATed), then is closed.
import { createServer } from 'node:net';

const [address, ...ports] = process.argv.slice(2);
let pending = ports.length;
for (const port of ports) {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end(`${socket.remoteAddress}\n`);
  });
  server.on('error', (error) => {
    process.stderr.write(`listener ${address}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(Number(port), address, () => {
    pending -= 1;
    if (pending === 0) process.stdout.write(`listening ${address} ${ports.join(' ')}\n`);
  });
}
