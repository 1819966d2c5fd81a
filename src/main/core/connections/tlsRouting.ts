/**
 * Teleport TLS routing (teleport-sso.md §5c): the proxy multiplexes its web port by ALPN, and
 * SSH runs inside TLS negotiated with `teleport-proxy-ssh`. The SSH handshake inside is verified
 * as usual (host certificate from the cluster CA), so the TLS layer is transport: it is verified
 * against the system CAs and the cluster's TLS CAs, except for a proxy on this machine.
 */
import tls from 'node:tls';
import { SshError, tuneTransportSocket } from '../ssh';
import { isLoopbackHost } from '../signin/teleport/http';

export const ALPN_PROXY_SSH = 'teleport-proxy-ssh';
const TLS_TIMEOUT_MS = 15_000;

export function dialTlsRouted(options: {
  host: string;
  port: number;
  /** PEM CAs of the cluster (`hostSigners[].tlsCerts`), trusted besides the system ones. */
  clusterCas?: readonly string[];
  signal?: AbortSignal;
}): Promise<tls.TLSSocket> {
  const where = `${options.host}:${String(options.port)}`;
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: options.host,
      port: options.port,
      ALPNProtocols: [ALPN_PROXY_SSH],
      ...(isLoopbackHost(options.host) ? {} : { servername: options.host }),
      ca: [...tls.rootCertificates, ...(options.clusterCas ?? [])],
      rejectUnauthorized: !isLoopbackHost(options.host),
    });
    const fail = (error: SshError) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new SshError(
            'unreachable',
            `The Teleport proxy ${where} did not complete TLS in time.`,
            'jump',
          ),
        ),
      TLS_TIMEOUT_MS,
    );
    const onAbort = () =>
      fail(new SshError('cancelled', `The connection to ${where} was cancelled.`, 'jump'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const unreachable = ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'];
      fail(
        new SshError(
          'unreachable',
          unreachable.includes(error.code ?? '')
            ? `Could not connect to the Teleport proxy ${where} (${error.code ?? ''}); check your network.`
            : `The TLS connection to the Teleport proxy ${where} failed: ${error.message}.`,
          'jump',
          { cause: error },
        ),
      );
    });
    socket.once('secureConnect', () => {
      if (socket.alpnProtocol !== ALPN_PROXY_SSH) {
        fail(
          new SshError(
            'ssh-failed',
            `The Teleport proxy ${where} does not accept SSH over TLS routing (ALPN ${ALPN_PROXY_SSH} refused); sign in again so OneHop learns its SSH address.`,
            'jump',
          ),
        );
        return;
      }
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      tuneTransportSocket(socket);
      resolve(socket);
    });
  });
}
