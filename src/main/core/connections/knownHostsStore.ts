/**
 * Host keys the engine trusts beyond the site's CAs: OneHop's own OpenSSH-format known_hosts in
 * the data directory (where "trust and remember" is written) and the user's ~/.ssh/known_hosts,
 * read-only. Both are read at each connect, so edits made by hand apply at once.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseKnownHosts, type KnownHostsEntry } from '../ssh';

export const APP_KNOWN_HOSTS = 'known_hosts';

export interface KnownHostsStoreOptions {
  dataDir: string;
  /** The user's own file, read-only; false: none (tests). Default ~/.ssh/known_hosts. */
  userKnownHosts?: string | false;
  log?: (message: string) => void;
}

export class KnownHostsStore {
  readonly appFile: string;
  readonly #userFile: string | undefined;
  readonly #log: ((message: string) => void) | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: KnownHostsStoreOptions) {
    this.appFile = path.join(options.dataDir, APP_KNOWN_HOSTS);
    this.#userFile =
      options.userKnownHosts === false
        ? undefined
        : (options.userKnownHosts ?? path.join(os.homedir(), '.ssh', 'known_hosts'));
    this.#log = options.log;
  }

  /** Every usable entry; a malformed line is skipped (and logged), as OpenSSH does. */
  async entries(): Promise<KnownHostsEntry[]> {
    const files = [this.appFile, ...(this.#userFile ? [this.#userFile] : [])];
    const all: KnownHostsEntry[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        continue; // absent or unreadable: nothing known from it
      }
      const parsed = parseKnownHosts(text);
      for (const problem of parsed.problems) {
        this.#log?.(`onehop: ${file}:${String(problem.line)} skipped: ${problem.reason}`);
      }
      all.push(...parsed.entries);
    }
    return all;
  }

  /** Appends a line to OneHop's file: whole-file rewrite through a temp file, mode 0600. */
  remember(line: string): Promise<void> {
    const write = async () => {
      let current = '';
      try {
        current = await fs.readFile(this.appFile, 'utf8');
      } catch {
        // first entry
      }
      const next = `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${line}\n`;
      const temp = `${this.appFile}.${randomBytes(6).toString('hex')}.tmp`;
      await fs.writeFile(temp, next, { mode: 0o600 });
      await fs.rename(temp, this.appFile);
    };
    // Serialised, so two remembered keys in a row do not overwrite each other.
    this.#writing = this.#writing.then(write, write);
    return this.#writing;
  }
}
