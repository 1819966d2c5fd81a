/**
 * Read-only file access for `~/.tsh`. Every file is opened with 'r' only and nothing is ever
 * created, renamed or touched: tsh owns that directory and may be writing to it right now.
 */
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** tsh's files are a few KiB; anything far bigger is not one of them. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface ReadFile {
  text: string;
  mtime: Date;
}

export class TshProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TshProfileError';
  }
}

/** `~/.tsh/...` in messages when the path is under the home directory, as users know it. */
export function displayPath(file: string): string {
  const home = os.homedir();
  return home !== '' && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

function code(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** The file's text, or undefined when it does not exist. Other failures throw a plain message. */
export async function readOptional(file: string): Promise<ReadFile | undefined> {
  let handle;
  try {
    // O_NOATIME is refused for files we do not own; plain read-only is enough.
    handle = await open(file, constants.O_RDONLY);
  } catch (error) {
    const reason = code(error);
    if (reason === 'ENOENT' || reason === 'ENOTDIR') return undefined;
    throw new TshProfileError(`${displayPath(file)} could not be opened (${reason ?? 'error'}).`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new TshProfileError(`${displayPath(file)} is not a file.`);
    if (stats.size > MAX_FILE_BYTES) {
      throw new TshProfileError(`${displayPath(file)} is too large to be a tsh file.`);
    }
    return { text: await handle.readFile('utf8'), mtime: stats.mtime };
  } catch (error) {
    if (error instanceof TshProfileError) throw error;
    throw new TshProfileError(
      `${displayPath(file)} could not be read (${code(error) ?? 'error'}).`,
    );
  } finally {
    await handle.close();
  }
}

/** Names in a directory, or [] when it does not exist. */
export async function listDir(dir: string): Promise<{ name: string; isFile: boolean }[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, isFile: entry.isFile() }));
  } catch (error) {
    const reason = code(error);
    if (reason === 'ENOENT' || reason === 'ENOTDIR') return [];
    throw new TshProfileError(`${displayPath(dir)} could not be listed (${reason ?? 'error'}).`);
  }
}
