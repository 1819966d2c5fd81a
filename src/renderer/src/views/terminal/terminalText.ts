/** Words and small decisions for terminal tabs, kept pure so they can be tested without a DOM. */
import type { TerminalInfo, TerminalState } from '../../../../shared/model/terminal';

export const stateLabels: Record<TerminalState, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  reconnecting: 'Reconnecting',
  disconnected: 'Disconnected',
  closed: 'Closed',
};

/** What the overlay over a terminal shows; null when the terminal should be left alone. */
export type Overlay =
  | { kind: 'connecting'; text: string }
  | { kind: 'reconnecting'; text: string }
  | {
      kind: 'problem';
      title: string;
      detail: string | null;
      action: 'reconnect' | 'sign-in' | 'retry-open' | 'none';
    };

/**
 * `openError` is a failed `terminal.open` (no session at all); `hasOutput` keeps a connecting
 * veil off a terminal that already shows something (a reconnect after output).
 */
export function overlayFor(
  info: TerminalInfo | null,
  options: { openError: string | null; everConnected: boolean; hasOutput: boolean; title: string },
): Overlay | null {
  if (options.openError) {
    return {
      kind: 'problem',
      title: 'Could not open the terminal',
      detail: options.openError,
      action: 'retry-open',
    };
  }
  if (!info) return options.hasOutput ? null : connecting(options.title);
  switch (info.state) {
    case 'connected':
      return null;
    case 'connecting':
      return options.hasOutput ? null : connecting(info.title);
    case 'reconnecting':
      return { kind: 'reconnecting', text: 'Connection lost — reconnecting…' };
    case 'disconnected':
      return {
        kind: 'problem',
        title: options.everConnected ? 'Connection lost' : 'Could not connect',
        detail: info.problem,
        action:
          info.remedy === 'sign-in' ? 'sign-in' : info.remedy === 'none' ? 'none' : 'reconnect',
      };
    case 'closed':
      return {
        kind: 'problem',
        title: info.exitCode === null ? 'Session closed' : `Session ended (exit ${info.exitCode})`,
        detail: info.problem,
        action: 'reconnect',
      };
  }
}

function connecting(title: string): Overlay {
  return { kind: 'connecting', text: `Connecting to ${title}…` };
}

/** The app's monospace stack (tokens.css --font-mono): xterm needs a literal family list. */
export const MONO_STACK =
  "ui-monospace, 'JetBrains Mono', 'SF Mono', 'Cascadia Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

/**
 * The user's font family in front of the system stack. A bare name with spaces is quoted; a list
 * or an already quoted name is taken as typed.
 */
export function fontFamilyFor(setting: string): string {
  const family = setting.trim();
  if (!family) return MONO_STACK;
  const typed = /[,'"]/.test(family) ? family : `"${family}"`;
  return `${typed}, ${MONO_STACK}`;
}

/** Only http(s) links leave the app (the web-links addon also matches other schemes). */
export function isWebLink(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Splits a paste into pieces the `terminal.write` schema accepts (1 MiB of UTF-16 units). */
export function chunksOf(data: string, size = 512 * 1024): string[] {
  if (data.length <= size) return [data];
  const chunks: string[] = [];
  for (let start = 0; start < data.length;) {
    let end = Math.min(start + size, data.length);
    // Never split a surrogate pair.
    const last = data.charCodeAt(end - 1);
    if (end < data.length && last >= 0xd800 && last <= 0xdbff) end--;
    chunks.push(data.slice(start, end));
    start = end;
  }
  return chunks;
}

/** `login@host` for a host before the core has answered with its own title. */
export function provisionalTitle(host: { name: string; login?: string | undefined }): string {
  return host.login ? `${host.login}@${host.name}` : host.name;
}
