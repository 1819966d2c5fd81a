/**
 * The one edit OneHop makes to the user's `~/.ssh/config`, and only when asked: a marked block
 * at the very top (before any Host line, so it applies to every host) that includes
 * `~/.ssh/onehop/config`. A backup is written before the file changes; the rewrite is atomic,
 * keeps the file's mode (and a symlink's target), and removal takes out exactly the block.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './files';

export const BLOCK_BEGIN = '# >>> onehop >>>';
export const BLOCK_END = '# <<< onehop <<<';
const BLOCK = new RegExp(
  `^${escape(BLOCK_BEGIN)}[^\\n]*\\n[\\s\\S]*?^${escape(BLOCK_END)}[^\\n]*(\\n|$)`,
  'm',
);

export interface IncludeOptions {
  homeDir: string;
  /** The file to include (`<home>/.ssh/onehop/config`). */
  target: string;
  now?: () => Date;
}

export interface IncludeResult {
  /** The user's config file. */
  path: string;
  changed: boolean;
  /** The copy written before the change; null when nothing changed or there was no file. */
  backupPath: string | null;
}

export function userConfigPath(homeDir: string): string {
  return path.join(homeDir, '.ssh', 'config');
}

export async function isIncludeInstalled(homeDir: string): Promise<boolean> {
  const text = await readIfExists(userConfigPath(homeDir));
  return text !== null && BLOCK.test(text);
}

export async function installInclude(options: IncludeOptions): Promise<IncludeResult> {
  const file = userConfigPath(options.homeDir);
  const sshDir = path.dirname(file);
  // A new ~/.ssh is private; an existing one keeps the mode the user gave it.
  await fs.mkdir(sshDir, { recursive: true, mode: 0o700 });
  const target = await realTarget(file);
  const original = await readIfExists(target);
  if (original !== null && BLOCK.test(original))
    return { path: file, changed: false, backupPath: null };

  const newline = original?.includes('\r\n') ? '\r\n' : '\n';
  const block = [
    `${BLOCK_BEGIN} added by OneHop; "onehop ssh-config --uninstall" removes it`,
    `Include ${includeArgument(options.homeDir, options.target)}`,
    BLOCK_END,
    '',
  ].join(newline);
  const mode = await modeOf(target);
  const backupPath = original === null ? null : await backup(target, original, mode, options.now);
  await writeFileAtomic(
    target,
    Buffer.concat([Buffer.from(block, 'utf8'), bytes(original ?? '')]),
    mode,
  );
  return { path: file, changed: true, backupPath };
}

export async function removeInclude(
  options: Omit<IncludeOptions, 'target'>,
): Promise<IncludeResult> {
  const file = userConfigPath(options.homeDir);
  const target = await realTarget(file);
  const original = await readIfExists(target);
  const match = original === null ? null : BLOCK.exec(original);
  if (original === null || !match) return { path: file, changed: false, backupPath: null };
  const mode = await modeOf(target);
  const backupPath = await backup(target, original, mode, options.now);
  const text = original.slice(0, match.index) + original.slice(match.index + match[0].length);
  await writeFileAtomic(target, bytes(text), mode);
  return { path: file, changed: true, backupPath };
}

/** `~/.ssh/onehop/config` when ssh's own `~` (the password database home) is that home. */
function includeArgument(homeDir: string, target: string): string {
  const relative = path.relative(homeDir, target);
  let passwdHome: string | undefined;
  try {
    passwdHome = os.userInfo().homedir;
  } catch {
    passwdHome = undefined;
  }
  if (
    passwdHome &&
    path.resolve(passwdHome) === path.resolve(homeDir) &&
    !relative.startsWith('..')
  ) {
    return `~/${relative.split(path.sep).join('/')}`;
  }
  return /\s/.test(target) ? `"${target}"` : target;
}

async function backup(
  file: string,
  text: string,
  mode: number,
  now = () => new Date(),
): Promise<string> {
  const stamp = now().toISOString().replace(/[:.]/g, '-');
  let backupPath = `${file}.onehop-backup-${stamp}`;
  for (let i = 1; await exists(backupPath); i++) backupPath = `${file}.onehop-backup-${stamp}-${i}`;
  await writeFileAtomic(backupPath, bytes(text), mode);
  return backupPath;
}

/** A symlinked config (dotfile managers) is edited where it points, not replaced by a file. */
async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file;
  }
}

async function modeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).mode & 0o777;
  } catch {
    return 0o600;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Byte-exact text (latin1), so a file that is not UTF-8 comes back byte-identical. */
async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'latin1');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
