/**
 * A stand-in for a Teleport proxy with TLS routing, in its own process: TLS on a port, ALPN
 * `teleport-proxy-ssh`, then plain TCP to the jump sshd. Both sides of the bench reach the jump
 * through it: OneHop with its TLS routing dialer, OpenSSH with `openssl s_client` as ProxyCommand.
 * Argument: the jump port; environment: BENCH_TLS_KEY / BENCH_TLS_CERT (PEM).
 * Reports `{ port }` once listening.
 */
import net from 'node:net';
import tls from 'node:tls';

const HOST = '127.0.0.1';
const jumpPort = Number(process.argv[2]);

const server = tls.createServer(
  {
    key: process.env.BENCH_TLS_KEY,
    cert: process.env.BENCH_TLS_CERT,
    ALPNProtocols: ['teleport-proxy-ssh'],
  },
  (client) => {
    const upstream = net.connect({ host: HOST, port: jumpPort, noDelay: true });
    client.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on('error', close);
      socket.on('close', close);
    }
  },
);

server.listen(0, HOST, () => {
  process.send?.({ port: (server.address() as net.AddressInfo).port });
});
// The orchestrator went away: do not linger.
process.on('disconnect', () => process.exit(0));
