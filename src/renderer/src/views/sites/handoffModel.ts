/**
 * What the "Use with ssh, scp and rsync" panel shows and remembers, kept pure for unit tests:
 * the credential files named in the generated config, the one-time question and its answer in
 * this window's localStorage (a UI habit; the setting itself is the site's `handoff.enabled`).
 */
import type { CertificateState } from '../../../../shared/model/certificate';

export type HandoffAnswer = 'yes' | 'not-now';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

export function askedKey(site: string): string {
  return `onehop.handoffAsked.${site}`;
}

export function readAnswer(storage: Storage | null, site: string): HandoffAnswer | null {
  try {
    const value = storage?.getItem(askedKey(site)) ?? null;
    return value === 'yes' || value === 'not-now' ? value : null;
  } catch {
    return null;
  }
}

export function writeAnswer(storage: Storage | null, site: string, answer: HandoffAnswer): void {
  try {
    storage?.setItem(askedKey(site), answer);
  } catch {
    // Storage refused (private mode, quota): the question may come back; nothing else breaks.
  }
}

/**
 * The question comes once: the first time the site has a usable certificate, while the
 * hand-off is still at its default (on) and the user has not answered in this window.
 */
export function shouldAsk(input: {
  state: CertificateState | null;
  enabled: boolean;
  answer: HandoffAnswer | null;
}): boolean {
  const usable = input.state === 'valid' || input.state === 'expiring';
  return usable && input.enabled && input.answer === null;
}

/** The first IdentityFile and CertificateFile of the generated section (quotes removed). */
export function credentialFiles(configText: string): {
  identityFile: string | null;
  certificateFile: string | null;
} {
  const first = (keyword: string): string | null => {
    const match = new RegExp(`^\\s*${keyword}\\s+(.+?)\\s*$`, 'im').exec(configText);
    if (!match) return null;
    const value = match[1]!;
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
      ? value.slice(1, -1)
      : value;
  };
  return { identityFile: first('IdentityFile'), certificateFile: first('CertificateFile') };
}

/** Host names a user can type after `ssh`: the concrete names of the section's Host lines. */
export function sshTargets(configText: string, max = 3): string[] {
  const names: string[] = [];
  for (const match of configText.matchAll(/^Host\s+(.+)$/gm)) {
    for (const name of match[1]!.trim().split(/\s+/)) {
      if (!/[*?!]/.test(name) && !names.includes(name)) names.push(name);
    }
  }
  // The first Host block is the proxy itself; the saved hosts are the useful examples.
  return names.slice(1, 1 + max);
}

export const modeLabels = {
  auto: 'Automatic: ssh-agent when one runs, else key files',
  agent: 'ssh-agent only',
  file: 'Key files in ~/.ssh/onehop',
} as const;

/** The lines OneHop adds at the top of ~/.ssh/config (includeInstaller.ts writes the same). */
export function includeBlock(configPath: string): string {
  const target = /\s/.test(configPath) ? `"${configPath}"` : configPath;
  return [
    '# >>> onehop >>> added by OneHop; "onehop ssh-config --uninstall" removes it',
    `Include ${target}`,
    '# <<< onehop <<<',
  ].join('\n');
}
