/**
 * Small file helpers for the hand-off: atomic replace (temp file in the same directory, then
 * rename, so ssh never reads half a file), private modes, and paths written into ssh_config.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` through a temp file and rename; the file gets `mode` (default 0600). */
export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  mode = 0o600,
): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`,
  );
  const handle = await fs.open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The umask may have narrowed `mode` at creation; the requested mode is the one wanted.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Creates `dir` (and parents) and makes sure it is private (0700). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700);
}

/** The file's text, or null when it does not exist. */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * A path as an ssh_config argument: `%` doubled (IdentityFile, CertificateFile and
 * UserKnownHostsFile expand %-tokens) and double-quoted when it has spaces or quotes.
 */
export function configPath(file: string): string {
  const escaped = file.replace(/%/g, '%%');
  return /[\s"'#\\]/.test(escaped) ? `"${escaped.replace(/(["\\])/g, '\\$1')}"` : escaped;
}
