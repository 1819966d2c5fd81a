/**
 * The far end of the tunnels, in its own process so it does not share a CPU thread with either
 * side under test: an HTTP server that sends `GET /bytes/<n>` bytes (random, from one 1 MiB
 * buffer), and a raw TCP server that holds connections open until the peer closes them.
 * Reports `{ httpPort, holdPort }` once listening; answers `'count'` with the held connections.
 */
import { randomFillSync } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const CHUNK = randomFillSync(Buffer.alloc(1024 * 1024));

const httpServer = http.createServer((req, res) => {
  const match = /^\/bytes\/(\d+)$/.exec(req.url ?? '');
  if (!match || req.method !== 'GET') {
    res.writeHead(404).end();
    return;
  }
  let left = Number(match[1]);
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': left });
  const pump = () => {
    while (left > 0) {
      const size = Math.min(left, CHUNK.length);
      left -= size;
      if (!res.write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
});

const held = new Set<net.Socket>();
const holdServer = net.createServer({ allowHalfOpen: true }, (socket) => {
  held.add(socket);
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.end());
  socket.on('close', () => held.delete(socket));
  socket.resume();
});
holdServer.maxConnections = 10_000;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, backlog: 4096 }, () => {
      const address = server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : 0);
    });
  });
}

void Promise.all([listen(httpServer), listen(holdServer)]).then(([httpPort, holdPort]) => {
  process.send?.({ httpPort, holdPort });
});
process.on('message', (message: unknown) => {
  if (message === 'count') process.send?.({ held: held.size });
});
process.on('disconnect', () => process.exit(0));
