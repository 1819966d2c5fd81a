/**
 * The sandbox's ports: stable defaults (so a saved sandbox site keeps working across restarts)
 * with a fallback to free ports, a strict `--port-base N` (N, N+1, … must all be free), or
 * `--port-base 0` for free ports everywhere (tests).
 */
import net from 'node:net';

export const PORT_ROLES = [
  { key: 'web', label: 'Teleport proxy web', preferred: 3080 },
  { key: 'proxySsh', label: 'proxy SSH (sshd)', preferred: 3023 },
  { key: 'hpc', label: 'hpc-login sshd', preferred: 2201 },
  { key: 'ecs', label: 'ecs-login sshd', preferred: 2202 },
  { key: 'logserver', label: 'log server', preferred: 9316 },
  { key: 'socks', label: 'SOCKS tunnel (for the app)', preferred: 19050 },
  { key: 'logTunnel', label: 'log server tunnel (for the app)', preferred: 19316 },
] as const;

export type PortKey = (typeof PORT_ROLES)[number]['key'];
export type SandboxPorts = Record<PortKey, number>;

export class PortsTakenError extends Error {}

/** True when 127.0.0.1:port can be bound right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('Could not read the port of a temporary listener.'));
      });
    });
  });
}

export interface PortChoice {
  ports: SandboxPorts;
  /** Lines such as "3080 is taken; the Teleport proxy web port is 41234 instead." */
  notes: string[];
}

/**
 * `base` undefined: the preferred ports, each replaced by a free one when taken; 0: free ports;
 * N: N, N+1, … in PORT_ROLES order, and PortsTakenError when one of them is taken.
 */
export async function choosePorts(base?: number): Promise<PortChoice> {
  const used = new Set<number>();
  const notes: string[] = [];
  const taken: string[] = [];
  const ports = {} as SandboxPorts;
  const fresh = async () => {
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      if (!used.has(port)) return port;
    }
    throw new Error('Could not find free ports on 127.0.0.1.');
  };
  for (const [index, role] of PORT_ROLES.entries()) {
    let port: number;
    if (base === 0) {
      port = await fresh();
    } else if (base !== undefined) {
      port = base + index;
      if (port > 65535)
        throw new PortsTakenError(`--port-base ${base} leaves no room for 7 ports.`);
      if (!(await isPortFree(port))) taken.push(`${port} (${role.label})`);
    } else if (!used.has(role.preferred) && (await isPortFree(role.preferred))) {
      port = role.preferred;
    } else {
      port = await fresh();
      notes.push(`Port ${role.preferred} is taken; the ${role.label} uses ${port} instead.`);
    }
    used.add(port);
    ports[role.key] = port;
  }
  if (taken.length) {
    throw new PortsTakenError(
      `Port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} already in use on 127.0.0.1; choose another --port-base, or stop what uses ${taken.length > 1 ? 'them' : 'it'}.`,
    );
  }
  return { ports, notes };
}
