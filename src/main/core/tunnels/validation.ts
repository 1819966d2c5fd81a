/**
 * Tunnel profile checks that the zod schema cannot make: bind ports shared with other profiles,
 * privileged ports, network-reachable bind addresses, and the `via` syntax.
 */
import { isIP } from 'node:net';
import type { Forward, TunnelProfile } from '../../../shared/model/settings';

export interface Via {
  login?: string;
  host: string;
  port?: number;
}

export class ViaSyntaxError extends Error {
  override readonly name = 'ViaSyntaxError';
}

const LOGIN = /^[A-Za-z0-9._][A-Za-z0-9._@-]*$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

function viaError(via: string, detail: string): ViaSyntaxError {
  return new ViaSyntaxError(
    `The host "${via}" ${detail}; write it as [login@]host[:port], for example "alice@workstation1" or "workstation1:2222".`,
  );
}

/** Parses `[login@]host[:port]` (IPv6 as `[::1]:2222`); throws a ViaSyntaxError. */
export function parseVia(via: string): Via {
  const text = via.trim();
  if (text === '') {
    throw new ViaSyntaxError(
      'The tunnel has no host to forward through yet; enter one as [login@]host[:port], for example "alice@workstation1".',
    );
  }
  if (/\s/.test(text)) throw viaError(text, 'contains spaces');
  const at = text.lastIndexOf('@');
  const login = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (login !== undefined && (login === '' || login.length > 64 || !LOGIN.test(login))) {
    throw viaError(text, 'has an invalid login name before "@"');
  }
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1] as string;
    portText = bracketed[2];
    if (isIP(host) !== 6) throw viaError(text, 'has something other than an IPv6 address in [ ]');
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) {
      if (isIP(rest) === 6) throw viaError(text, 'is an IPv6 address without [ ]');
      throw viaError(text, 'has more than one ":"');
    }
    [host, portText] = colons === 1 ? (rest.split(':') as [string, string]) : [rest, undefined];
    if (host === '' || host.length > 253 || !HOST.test(host)) {
      throw viaError(text, 'does not contain a valid host name');
    }
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw viaError(text, 'has a port that is not a number between 1 and 65535');
    }
    port = Number(portText);
  }
  return {
    host,
    ...(login !== undefined ? { login } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}

export interface ProfileIssue {
  /** Dotted field path inside the profile, e.g. `forwards.1.bindPort` or `via`. */
  field: string;
  message: string;
}

export interface ValidateOptions {
  /** The user confirmed the warning about a bind address reachable from the network. */
  allowNetworkBind?: boolean;
  /** The profile's name before a rename (that stored profile is the one being replaced). */
  previousName?: string;
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return a === 'localhost' || a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
}

function isWildcard(address: string): boolean {
  const a = address.replace(/^\[(.*)\]$/, '$1');
  return a === '0.0.0.0' || a === '::';
}

/** Can two listeners on these addresses (same port) not coexist? */
function addressesOverlap(a: string, b: string): boolean {
  if (isWildcard(a) || isWildcard(b)) return true;
  const norm = (x: string) => (x === 'localhost' ? '127.0.0.1' : x.replace(/^\[(.*)\]$/, '$1'));
  return norm(a) === norm(b);
}

export function forwardLabel(forward: Forward): string {
  const bind = `${forward.bindAddress}:${String(forward.bindPort)}`;
  return forward.kind === 'local'
    ? `-L ${bind}:${forward.targetHost}:${String(forward.targetPort)}`
    : `-D ${bind}`;
}

/**
 * All problems with `profile` given the stored profiles (empty list = fine). `via` may be empty
 * (a preset profile not set up yet); starting such a profile explains what to fill in.
 */
export function validateTunnelProfile(
  profile: TunnelProfile,
  existing: readonly TunnelProfile[],
  options: ValidateOptions = {},
): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const replaced = options.previousName ?? profile.name;
  const others = existing.filter((p) => p.name !== replaced);

  const clash = others.find((p) => p.name === profile.name);
  if (clash) {
    issues.push({
      field: 'name',
      message: `A tunnel named "${profile.name}" already exists; choose another name.`,
    });
  }
  if (profile.via.trim() !== '') {
    try {
      parseVia(profile.via);
    } catch (error) {
      issues.push({ field: 'via', message: (error as Error).message });
    }
  }

  profile.forwards.forEach((forward, index) => {
    const field = `forwards.${String(index)}`;
    const where = `${forward.bindAddress}:${String(forward.bindPort)}`;
    if (forward.bindPort < 1024) {
      issues.push({
        field: `${field}.bindPort`,
        message:
          `Port ${String(forward.bindPort)} is a privileged port (below 1024): on Linux only ` +
          'administrators may listen on it, and OneHop does not run as one; choose a port of 1024 or ' +
          `above, such as ${String(forward.bindPort + 8000)}.`,
      });
    }
    if (
      isIP(forward.bindAddress.replace(/^\[(.*)\]$/, '$1')) === 0 &&
      forward.bindAddress !== 'localhost'
    ) {
      issues.push({
        field: `${field}.bindAddress`,
        message: `The bind address "${forward.bindAddress}" must be an IP address of this computer (such as 127.0.0.1) or "localhost".`,
      });
    } else if (!isLoopbackAddress(forward.bindAddress) && !options.allowNetworkBind) {
      issues.push({
        field: `${field}.bindAddress`,
        message:
          `Listening on ${where} makes this tunnel reachable from the network: anyone who can reach ` +
          `this computer could use it to reach ${profile.via.trim() || 'the remote host'} as you. ` +
          'Use 127.0.0.1, or confirm that you want this.',
      });
    }
    // Within the profile: each earlier forward on the same port.
    profile.forwards.slice(0, index).forEach((earlier) => {
      if (
        earlier.bindPort === forward.bindPort &&
        addressesOverlap(earlier.bindAddress, forward.bindAddress)
      ) {
        issues.push({
          field: `${field}.bindPort`,
          message: `Port ${String(forward.bindPort)} is used twice in this tunnel (${forwardLabel(earlier)} and ${forwardLabel(forward)}); give each forward its own port.`,
        });
      }
    });
    for (const other of others) {
      const taken = other.forwards.find(
        (f) =>
          f.bindPort === forward.bindPort && addressesOverlap(f.bindAddress, forward.bindAddress),
      );
      if (taken) {
        issues.push({
          field: `${field}.bindPort`,
          message:
            `Port ${String(forward.bindPort)} is used by both "${profile.name}" (${forwardLabel(forward)}) ` +
            `and "${other.name}" (${forwardLabel(taken)}); choose another port for one of them.`,
        });
      }
    }
  });
  return issues;
}
