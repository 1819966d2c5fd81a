/**
 * Opening the sign-in page. `BROWSER` wins (a command that receives the URL as its argument, as
 * many Unix tools honour it; tests point it at a non-interactive stand-in); otherwise the host's
 * default (Electron: shell.openExternal; CLI: the OS opener). Only http(s) URLs are ever opened.
 */
import { spawn } from 'node:child_process';

export type OpenUrl = (url: string) => Promise<void>;

export function assertWebUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Refusing to open "${url}": it is not a URL.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Refusing to open ${parsed.protocol} URLs; only http and https are opened.`);
  }
}

/** Runs `command url` detached; resolves once it started, rejects if it cannot start. */
export function runCommandWithUrl(
  command: string,
  args: readonly string[],
  url: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url], { detached: true, stdio: 'ignore' });
    child.once('error', (error) =>
      reject(new Error(`Could not start the browser "${command}": ${error.message}`)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** The OS opener for hosts without one of their own (the CLI). */
export function systemOpener(platform: NodeJS.Platform = process.platform): OpenUrl {
  return (url) => {
    if (platform === 'darwin') return runCommandWithUrl('open', [], url);
    if (platform === 'win32')
      return runCommandWithUrl('rundll32', ['url.dll,FileProtocolHandler'], url);
    return runCommandWithUrl('xdg-open', [], url);
  };
}

/**
 * `BROWSER` may hold a command with arguments ("firefox --new-window"); it is split on spaces,
 * without a shell, so the URL is never interpreted by one.
 */
export function createBrowserOpener(
  fallback: OpenUrl,
  env: NodeJS.ProcessEnv = process.env,
): OpenUrl {
  return async (url) => {
    assertWebUrl(url);
    const browser = env.BROWSER?.trim();
    if (!browser) return fallback(url);
    const [command, ...args] = browser.split(/\s+/);
    return runCommandWithUrl(command!, args, url);
  };
}
