/**
 * Tunnels ride the shared connection pool: the via host of a profile (`[login@]host[:port]`, or
 * the name of a saved host) is resolved like a terminal destination, through the site's jump.
 */
import type { TerminalTarget } from '../../../shared/model/terminal';
import type { ConnectionPool, ResolvedRoute, UnknownKeyMode } from '../connections';
import { SshError } from '../ssh';
import { parseVia, ViaSyntaxError } from './validation';
import { sshViaConnection, type TunnelConnector } from './viaConnection';

export function poolConnector(options: {
  pool: ConnectionPool;
  resolve: (target: TerminalTarget) => Promise<ResolvedRoute>;
  unknownKey: UnknownKeyMode;
}): TunnelConnector {
  return {
    async connect(profile, signal) {
      let via;
      try {
        via = parseVia(profile.via);
      } catch (error) {
        if (error instanceof ViaSyntaxError) throw new SshError('unknown-host', error.message);
        throw error;
      }
      const route = await options.resolve({
        hostName: via.host,
        ...(via.login === undefined ? {} : { login: via.login }),
        ...(via.port === undefined ? {} : { port: via.port }),
        ...(profile.site === undefined ? {} : { site: profile.site }),
      });
      const lease = await options.pool.acquire(route, { signal, unknownKey: options.unknownKey });
      const connection = sshViaConnection(lease.connection, () => lease.release());
      // A via host behind a jump also dies with the jump; the jump's error says why.
      return { ...connection, closed: Promise.race([connection.closed, lease.lost]) };
    },
  };
}
