/**
 * Gate tests on external tools (sshd, chromium, curl, ...).
 *
 * In CI a missing tool is a broken machine, not a reason to skip: `requireTools` throws while the
 * test file is collected, so the file fails loudly. On a developer machine it returns `skip: true`
 * and prints the reason once, and the suite title gets a `[missing-tool: ...]` marker so skipped
 * suites are recognisable in the JSON report (scripts/check-test-report.js).
 *
 *   const tools = requireTools(['sshd', 'ssh-keygen']);
 *   describe.skipIf(tools.skip)(`sign-in over ssh${tools.marker}`, () => { ... });
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

interface KnownTool {
  /** Absolute paths tried first (sshd must be started by absolute path). */
  paths?: string[];
  /** Debian package that provides it. */
  apt: string;
}

const KNOWN_TOOLS: Record<string, KnownTool> = {
  sshd: { paths: ['/usr/sbin/sshd'], apt: 'openssh-server' },
  ssh: { apt: 'openssh-client' },
  'ssh-keygen': { apt: 'openssh-client' },
  'ssh-keyscan': { apt: 'openssh-client' },
  'ssh-agent': { apt: 'openssh-client' },
  'ssh-add': { apt: 'openssh-client' },
  chromium: { paths: ['/usr/bin/chromium'], apt: 'chromium' },
  proxychains4: { apt: 'proxychains4' },
  curl: { apt: 'curl' },
  openssl: { apt: 'openssl' },
  'secret-tool': { apt: 'libsecret-tools' },
  'gnome-keyring-daemon': { apt: 'gnome-keyring' },
  'dbus-run-session': { apt: 'dbus-daemon' },
};

/** Marker put in suite titles when tools are missing; the report checker looks for it. */
export const MISSING_TOOL_MARKER = '[missing-tool';

export interface ToolOptions {
  /** Look only at this absolute path instead of the known paths and PATH. */
  path?: string;
  /** Treat as CI (throw when missing). Defaults to `process.env.CI` being set. */
  ci?: boolean;
}

export interface ToolCheck {
  /** True when at least one tool is missing (only ever true outside CI). */
  skip: boolean;
  /** Why the tests are skipped; empty when nothing is missing. */
  reason: string;
  /** Absolute path of each tool that was found, by name. */
  paths: Record<string, string>;
  /** Append to a suite title: empty, or ` [missing-tool: a, b]`. */
  marker: string;
}

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of a tool, or undefined. Searches known paths, PATH, then the sbin dirs. */
export function findTool(
  name: string,
  options: Pick<ToolOptions, 'path'> = {},
): string | undefined {
  if (options.path !== undefined) return isExecutable(options.path) ? options.path : undefined;
  const known = KNOWN_TOOLS[name]?.paths ?? [];
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  // Non-login root shells sometimes lack the sbin directories in PATH.
  dirs.push('/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin');
  const candidates = [...known, ...dirs.map((dir) => path.join(dir, name))];
  return candidates.find(isExecutable);
}

export function installHint(name: string): string {
  const apt = KNOWN_TOOLS[name]?.apt;
  return apt ? `install ${apt} (apt-get install -y ${apt})` : `install ${name}`;
}

const warned = new Set<string>();

/**
 * Checks that every tool exists. In CI a missing tool throws; elsewhere the result says to skip.
 * Tools may be given as names or as `{ name, path }` to pin an absolute path.
 */
export function requireTools(
  tools: ReadonlyArray<string | { name: string; path?: string }>,
  options: Pick<ToolOptions, 'ci'> = {},
): ToolCheck {
  const ci = options.ci ?? isCi();
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const tool of tools) {
    const { name, path: pinned } =
      typeof tool === 'string' ? { name: tool, path: undefined } : tool;
    const found = findTool(name, pinned === undefined ? {} : { path: pinned });
    if (found) paths[name] = found;
    else missing.push(name);
  }
  if (missing.length === 0) return { skip: false, reason: '', paths, marker: '' };

  const reason = missing.map((name) => `${name} is missing: ${installHint(name)}.`).join(' ');
  if (ci) throw new Error(`${reason} Tools are required when CI is set; tests must not skip.`);
  if (!warned.has(reason)) {
    warned.add(reason);
    console.warn(`Skipping tests: ${reason}`);
  }
  return { skip: true, reason, paths, marker: ` ${MISSING_TOOL_MARKER}: ${missing.join(', ')}]` };
}

/** One tool: `requireTool('sshd')` or `requireTool('chromium', { path: '/usr/bin/chromium' })`. */
export function requireTool(name: string, options: ToolOptions = {}): ToolCheck {
  const tool = options.path === undefined ? name : { name, path: options.path };
  return requireTools([tool], options.ci === undefined ? {} : { ci: options.ci });
}

/**
 * A keychain the tests can really use: a D-Bus session bus with gnome-keyring (CI runs the tests
 * under dbus-run-session). Missing in CI → throws; elsewhere → skip with a printed reason.
 */
export function requireSessionKeychain(): ToolCheck {
  const tools = requireTools(['gnome-keyring-daemon', 'dbus-run-session', 'secret-tool']);
  if (tools.skip || process.platform !== 'linux') return tools;
  if (process.env.DBUS_SESSION_BUS_ADDRESS) return tools;
  const reason =
    'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); run the tests under ' +
    "dbus-run-session -- sh -c 'echo -n pass | gnome-keyring-daemon --unlock --components=secrets; npm test'";
  if (isCi()) throw new Error(`Keychain tests cannot run in CI: ${reason}`);
  console.warn(`Skipping keychain tests: ${reason}`);
  return { ...tools, skip: true, reason, marker: ` ${MISSING_TOOL_MARKER}: D-Bus session bus]` };
}
