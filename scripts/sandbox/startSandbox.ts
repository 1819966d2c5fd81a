/**
 * The sandbox's servers, all on 127.0.0.1: the test IdP, the Teleport proxy emulator, a real
 * OpenSSH sshd as the proxy's SSH listener (host certificate only, like Teleport), two OpenSSH
 * target hosts and a small HTTP "log server" for tunnels. Returned with the descriptor the core
 * reads and a `stop()` that stops every child process by its PID.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { SANDBOX_SITE_NAME, type SandboxDescriptor } from '../../src/shared/contract/sandbox';
import { PresetSchema, type Preset } from '../../src/shared/model/settings';
import { DEFAULT_USER, startIdp, webClient, type Idp } from '../../test/support/idp';
import { startSshd, type SshdServer } from '../../test/support/sshd';
import { startTeleportEmulator, type TeleportEmulator } from '../../test/support/teleport/emulator';
import type { SandboxPorts } from './ports';

export const TELEPORT_VERSION = '17.2.0';
/** The emulator presents only ed25519 host certificates; a plain host key is never offered. */
const CERT_ONLY = 'HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com';

export interface Sandbox {
  descriptor: SandboxDescriptor;
  idp: Idp;
  proxy: TeleportEmulator;
  sshd: { proxy: SshdServer; hpc: SshdServer; ecs: SshdServer };
  /** PIDs of the child processes (the sshds). */
  childPids(): number[];
  stop(): Promise<void>;
}

/** The SSH logins the certificates carry: the account running the sandbox (sshd runs as it). */
export function sandboxLogins(): string[] {
  return [os.userInfo().username];
}

function startLogServer(port: number): Promise<http.Server> {
  const page = (path: string) =>
    [
      '<!DOCTYPE html>',
      '<html lang="en"><head><meta charset="utf-8"><title>Sandbox log server</title></head>',
      '<body>',
      '<h1>Sandbox log server</h1>',
      `<p>You reached the OneHop sandbox's log server on 127.0.0.1:${port} (path ${path.replace(/[<>&"']/g, '')}).</p>`,
      '<p>In the real centre this would be an ecFlow log server on port 9316.</p>',
      '</body></html>',
      '',
    ].join('\n');
  const server = http.createServer((req, res) => {
    const body = page(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function sandboxPreset(ports: SandboxPorts): Preset {
  const site = SANDBOX_SITE_NAME;
  return PresetSchema.parse({
    id: site,
    title: 'Sandbox',
    description:
      'A practice Teleport proxy with hpc-login and ecs-login on this machine (npm run sandbox).',
    site: {
      kind: 'teleport',
      name: site,
      title: 'Sandbox',
      presetId: site,
      proxy: { host: '127.0.0.1', webPort: ports.web, sshPort: ports.proxySsh },
      hostPatterns: [],
      ssh: {
        keepaliveIntervalSeconds: 60,
        rsaSignatureAlgorithms: ['rsa-sha2-512', 'rsa-sha2-256'],
      },
    },
    hosts: [
      { name: 'hpc-login', hostName: '127.0.0.1', port: ports.hpc, site, route: 'jump' },
      { name: 'ecs-login', hostName: '127.0.0.1', port: ports.ecs, site, route: 'jump' },
    ],
    tunnels: [
      {
        name: 'Sandbox SOCKS',
        site,
        via: 'hpc-login',
        forwards: [{ kind: 'dynamic', bindAddress: '127.0.0.1', bindPort: ports.socks }],
        autostart: false,
      },
      {
        name: 'Sandbox logserver',
        site,
        via: 'hpc-login',
        forwards: [
          {
            kind: 'local',
            bindAddress: '127.0.0.1',
            bindPort: ports.logTunnel,
            targetHost: '127.0.0.1',
            targetPort: ports.logserver,
          },
        ],
        autostart: false,
      },
    ],
  });
}

/** Starts everything; on a failure, stops what already started and rethrows. */
export async function startSandbox(ports: SandboxPorts): Promise<Sandbox> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    // Reverse order: SSH servers first, then the proxy, then the IdP.
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const idp = await startIdp({ clients: [] });
    cleanups.push(() => idp.close());
    const logins = sandboxLogins();
    const clientSecret = randomBytes(24).toString('hex');
    const proxy = await startTeleportEmulator({
      version: TELEPORT_VERSION,
      clusterName: 'sandbox',
      port: ports.web,
      sshPublicAddr: `127.0.0.1:${ports.proxySsh}`,
      logins,
      idp: { issuer: idp.issuer, clientId: 'teleport-sandbox', clientSecret },
    });
    cleanups.push(() => proxy.close());
    await idp.registerClient(webClient('teleport-sandbox', clientSecret, [proxy.oidcRedirectUri]));

    const common = {
      trustedUserCaKeys: [proxy.userCaPublicKey],
      authorizedKeysFile: 'none',
      signHostKey: (publicKeyPath: string, principals: string[]) =>
        proxy.signHostKey(publicKeyPath, principals),
      extraConfig: [CERT_ONLY],
    };
    const servers = await Promise.allSettled([
      startSshd({ ...common, port: ports.proxySsh }),
      startSshd({
        ...common,
        port: ports.hpc,
        hostCertificatePrincipals: ['127.0.0.1', 'localhost', 'hpc-login'],
      }),
      startSshd({
        ...common,
        port: ports.ecs,
        hostCertificatePrincipals: ['127.0.0.1', 'localhost', 'ecs-login'],
      }),
    ]);
    for (const server of servers) {
      if (server.status === 'fulfilled') cleanups.push(() => server.value.stop());
    }
    const failed = servers.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [proxySshd, hpc, ecs] = servers.map(
      (s) => (s as PromiseFulfilledResult<SshdServer>).value,
    ) as [SshdServer, SshdServer, SshdServer];

    const logServer = await startLogServer(ports.logserver);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          logServer.close(() => resolve());
          logServer.closeAllConnections();
        }),
    );

    const descriptor: SandboxDescriptor = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      idp: { issuer: idp.issuer, user: DEFAULT_USER.email },
      proxy: {
        webUrl: proxy.webUrl,
        webPort: proxy.port,
        sshPort: proxySshd.port,
        hostCaPublicKey: proxy.hostCaPublicKey,
        userCaPublicKey: proxy.userCaPublicKey,
      },
      logins,
      targets: [
        { name: 'hpc-login', port: hpc.port },
        { name: 'ecs-login', port: ecs.port },
      ],
      logserver: { port: (logServer.address() as AddressInfo).port },
      preset: sandboxPreset(ports),
    };
    return {
      descriptor,
      idp,
      proxy,
      sshd: { proxy: proxySshd, hpc, ecs },
      childPids: () => [proxySshd.pid, hpc.pid, ecs.pid],
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
