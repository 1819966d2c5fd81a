/**
 * The Electron host's security rules as plain functions (no `electron` import), so they are unit
 * tested in Node: which page is ours, which URLs may leave for the system browser, which
 * permissions a page may get, the Content-Security-Policy, and the shape of an invoke message.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from '../../shared/security/csp';

/** Where the renderer comes from: the electron-vite dev server, or the built file. */
export type RendererSource = { kind: 'dev'; url: string } | { kind: 'file'; path: string };

/**
 * The dev server is honoured only in unpackaged runs: in a packaged app an environment variable
 * must not be able to load foreign pages into the window that holds the bridge.
 */
export function chooseRendererSource(
  devServerUrl: string | undefined,
  isPackaged: boolean,
  rendererFile: string,
): RendererSource {
  if (!isPackaged && devServerUrl && isHttpUrl(devServerUrl))
    return { kind: 'dev', url: devServerUrl };
  return { kind: 'file', path: rendererFile };
}

/** Is `url` a page of our own renderer (the built index.html, or the dev server's origin)? */
export function isOwnRendererUrl(
  url: string,
  source: RendererSource,
  platform: NodeJS.Platform = process.platform,
): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (source.kind === 'dev') {
    const dev = parseUrl(source.url);
    return dev !== null && parsed.origin === dev.origin;
  }
  if (parsed.protocol !== 'file:') return false;
  // Compare file paths, not URL strings: Chromium and Node may percent-encode an install path
  // (spaces, non-ASCII user names) differently. Query and fragment do not change the file.
  let file: string;
  try {
    file = fileURLToPath(parsed, { windows: platform === 'win32' });
  } catch {
    return false; // a file URL with a host, or otherwise not a local path
  }
  return samePath(file, source.path, platform);
}

function samePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const resolve = (p: string) => paths.resolve(p);
  // Windows paths are case-insensitive; Chromium may also report the drive letter differently.
  return platform === 'win32'
    ? resolve(a).toLowerCase() === resolve(b).toLowerCase()
    : resolve(a) === resolve(b);
}

export interface SenderFacts {
  /** The sender's webContents is the one of our main window. */
  fromOurWindow: boolean;
  /** The message came from the top frame, not an iframe. */
  fromMainFrame: boolean;
  /** The URL of the sending frame (empty when the frame is gone). */
  frameUrl: string;
}

/** Only our own window's main frame, showing our own page, may talk to the core. */
export function isTrustedSender(facts: SenderFacts, source: RendererSource): boolean {
  return facts.fromOurWindow && facts.fromMainFrame && isOwnRendererUrl(facts.frameUrl, source);
}

/**
 * URLs the renderer may hand to the system browser: http(s) only, without embedded credentials.
 * Returns the normalised URL to open, or null to refuse (file:, javascript:, custom schemes that
 * would launch other programs, ...).
 */
export function externalUrlToOpen(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.username || parsed.password || !parsed.hostname) return null;
  return parsed.href;
}

/** Terminal copy and paste need the clipboard; nothing else (camera, geolocation, ...) is granted. */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-read',
  'clipboard-sanitized-write',
]);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  source: RendererSource,
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isOwnRendererUrl(requestingUrl, source);
}

/** The shared UI policy; in dev the Vite server and its HMR socket may be reached too. */
export function rendererCsp(source: RendererSource): string {
  const dev = source.kind === 'dev' ? parseUrl(source.url) : undefined;
  if (!dev) return contentSecurityPolicy([]);
  const ws = dev.protocol === 'https:' ? 'wss:' : 'ws:';
  return contentSecurityPolicy([dev.origin, `${ws}//${dev.host}`]);
}

/** Response headers with our CSP in place of any the server sent (header names are case-blind). */
export function withContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}

/** What the preload sends on the invoke channel. The dispatcher validates the payload itself. */
export function parseInvokeMessage(message: unknown): { command: string; payload: unknown } | null {
  if (typeof message !== 'object' || message === null) return null;
  const { command, payload } = message as { command?: unknown; payload?: unknown };
  if (typeof command !== 'string') return null;
  return { command, payload };
}

function isHttpUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:');
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
