/** `onehop login | status | logout` and `onehop sites add-oidc`. */
import { ContractError, type OneHopClient } from '../../../shared/contract';
import type { SiteStatus } from '../../../shared/model/certificate';
import { parseGoDuration } from '../../core/signin/teleport/duration';
import { portFlag, UsageError, type CommandContext, type CommandSpec } from '../command';
import { json, table } from '../output';

export const signInCommands: CommandSpec[] = [
  {
    words: ['login'],
    args: ['site-or-proxy'],
    flags: ['connector', 'ttl', 'name'],
    run: login,
  },
  {
    words: ['status'],
    args: [],
    flags: ['json'],
    async run({ client, flags, stdout, stderr }) {
      const { sites, vault } = await client.call('signin.status', {});
      if (vault.warning) stderr(`onehop: warning: ${vault.warning}\n`);
      if (flags.json) {
        stdout(json({ sites: sites.map(statusRow) }));
        return;
      }
      if (sites.length === 0) {
        stdout("No sites yet. Add the centre's preset with: onehop sites add-preset ecmwf\n");
        return;
      }
      stdout(
        table(
          ['SITE', 'STATE', 'USER', 'LOGINS', 'VALID UNTIL', 'LEFT'],
          sites.map((s) => [
            s.site,
            s.state,
            s.user,
            s.logins.join(','),
            s.validBefore ? localTime(s.validBefore) : null,
            s.remainingSeconds !== null && s.remainingSeconds > 0
              ? remaining(s.remainingSeconds)
              : null,
          ]),
        ),
      );
    },
  },
  {
    words: ['logout'],
    args: [],
    optionalArgs: ['site'],
    flags: [],
    async run({ client, args: [only], stdout }) {
      const { sites } = await client.call('signin.status', {});
      const targets = only
        ? [only]
        : sites.filter((s) => s.state !== 'signed-out').map((s) => s.site);
      for (const site of targets) await client.call('signin.signOut', { site });
      stdout(
        targets.length === 0
          ? 'No site is signed in.\n'
          : targets.map((site) => `Signed out of ${site}.\n`).join(''),
      );
    },
  },
  {
    words: ['sites', 'add-oidc'],
    args: ['name'],
    flags: ['issuer', 'client-id', 'ca-url', 'bastion', 'offline-access'],
    requiredFlags: ['issuer', 'client-id', 'ca-url'],
    async run({ client, args: [name = ''], flags, stdout }) {
      const { site } = await client.call('sites.addOidcCa', {
        name,
        oidc: {
          issuer: flags.issuer ?? '',
          clientId: flags['client-id'] ?? '',
          allowOfflineAccess: flags['offline-access'] ?? false,
        },
        caUrl: flags['ca-url'] ?? '',
        bastion: flags.bastion ? bastionFlag(flags.bastion) : undefined,
      });
      stdout(`Added site ${site.name} (OIDC ${flags.issuer}, SSH CA ${flags['ca-url']}).\n`);
    },
  },
];

/** `onehop status --json` shape (issue 3): ISO-8601 times, OpenSSH key type names. */
function statusRow(s: SiteStatus) {
  return {
    name: s.site,
    kind: s.kind,
    proxy: s.proxy,
    user: s.user,
    logins: s.logins,
    validAfter: s.validAfter,
    validBefore: s.validBefore,
    remainingSeconds: s.remainingSeconds,
    state: s.state,
    keyType: s.keyType,
  };
}

async function login({
  client,
  args: [target = ''],
  flags,
  stdout,
  stderr,
  signal,
}: CommandContext) {
  const ttlMs = flags.ttl === undefined ? undefined : ttlFlag(flags.ttl);
  const site = await siteFor(client, target, flags.name, stderr);

  let shownUrl = false;
  const stopWatching = client.on('signin.status', ({ sites }) => {
    const url = sites.find((s) => s.site === site)?.signingIn?.url;
    if (url && !shownUrl) {
      shownUrl = true;
      stderr(`Opening your browser to sign in to ${site}. If it does not open, visit:\n  ${url}\n`);
    }
  });
  const cancel = () => void client.call('signin.cancel', { site });
  signal.addEventListener('abort', cancel, { once: true });
  try {
    const { status, warnings } = await client.call('signin.start', {
      site,
      ttlMs,
      connector: flags.connector,
    });
    for (const warning of warnings) stderr(`onehop: warning: ${warning}\n`);
    const logins = status.logins.length ? ` (logins: ${status.logins.join(', ')})` : '';
    const until = status.validBefore
      ? ` Certificate valid until ${localTime(status.validBefore)} (${remaining(status.remainingSeconds ?? 0)}).`
      : '';
    stdout(`Signed in to ${site} as ${status.user ?? 'unknown user'}${logins}.${until}\n`);
  } finally {
    signal.removeEventListener('abort', cancel);
    stopWatching();
  }
}

/** A known site name, a known proxy address, or a new proxy address (creates the site). */
async function siteFor(
  client: OneHopClient,
  target: string,
  name: string | undefined,
  stderr: (text: string) => void,
): Promise<string> {
  const { settings } = await client.call('settings.get', {});
  if (settings.sites.some((s) => s.name === target)) return target;
  const byAddress = settings.sites.find(
    (s) =>
      s.kind === 'teleport' &&
      (target === s.proxy.host || target === `${s.proxy.host}:${s.proxy.webPort}`),
  );
  if (byAddress) return byAddress.name;
  try {
    const { site } = await client.call('sites.addTeleport', { address: target, name });
    stderr(`Added site ${site.name} for the Teleport proxy ${target}.\n`);
    return site.name;
  } catch (error) {
    if (error instanceof ContractError && error.code === 'invalid-request') {
      throw new UsageError(`"${target}" is neither a site nor a proxy address. ${error.message}`);
    }
    throw error;
  }
}

function ttlFlag(value: string): number {
  try {
    return parseGoDuration(value);
  } catch {
    throw new UsageError(`--ttl must be a duration such as 12h, 90m or 1h30m, not "${value}".`);
  }
}

function bastionFlag(value: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value);
  if (!match) throw new UsageError(`--bastion must be host or host:port, not "${value}".`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: portFlag(match[2], 'bastion') ?? 22 };
}

function localTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function remaining(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
