/**
 * Reads an OpenSSH client config (`~/.ssh/config`) the way ssh does for the parts OneHop imports:
 * `Host` sections with `*`, `?` and `!` patterns, `Include` (relative to ~/.ssh, `~`, globs,
 * depth-bounded and cycle-safe) evaluated in place, and `Match` sections skipped with a notice.
 * `resolveHost` then gives a host's settings with OpenSSH's first-obtained-value-wins rule.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  ConfigSyntaxError,
  globMatch,
  isWildcard,
  lexConfigLine,
  matchHostPatterns,
} from './lexer';

/** readconf.c READCONF_MAX_DEPTH. */
export const MAX_INCLUDE_DEPTH = 16;
/** A config file larger than this is not a config file. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface ConfigNotice {
  file: string;
  line: number;
  message: string;
}

export interface Directive {
  keyword: string;
  args: string[];
  file: string;
  line: number;
}

export interface Section {
  /** The `Host` patterns; `['*']` before the first Host line of the top file. */
  patterns: string[];
  /** Host patterns of the sections that `Include`d this one: all must match too. */
  conditions: string[][];
  directives: Directive[];
  file: string;
  line: number;
}

export interface ParsedSshConfig {
  file: string;
  sections: Section[];
  /** Host names written without wildcards, in order of first appearance, with their Host line. */
  concreteHosts: { alias: string; file: string; line: number }[];
  notices: ConfigNotice[];
}

export interface ParseOptions {
  /** The user's home: `~` and relative Includes (`<home>/.ssh/…`) resolve against it. */
  homeDir: string;
  /** Default `<home>/.ssh/config`. */
  file?: string;
  /** Where relative Include paths start; default `<home>/.ssh`. */
  includeBase?: string;
}

/** Reads the file and everything it includes; a missing top file is an empty config. */
export async function parseSshConfig(options: ParseOptions): Promise<ParsedSshConfig> {
  const file = path.resolve(options.file ?? path.join(options.homeDir, '.ssh', 'config'));
  const state: ParseState = {
    homeDir: options.homeDir,
    includeBase: options.includeBase ?? path.join(options.homeDir, '.ssh'),
    sections: [],
    notices: [],
    concrete: new Map(),
  };
  const top: Section = { patterns: ['*'], conditions: [], directives: [], file, line: 0 };
  state.sections.push(top);
  let text: string | null;
  try {
    text = await readConfigFile(file);
  } catch (error) {
    throw new Error(`The SSH config ${file} cannot be read (${describe(error)}).`, {
      cause: error,
    });
  }
  if (text !== null) await parseFile(state, file, text, [], [file], top);
  return {
    file,
    sections: state.sections,
    concreteHosts: [...state.concrete.values()],
    notices: state.notices,
  };
}

interface ParseState {
  homeDir: string;
  includeBase: string;
  sections: Section[];
  notices: ConfigNotice[];
  concrete: Map<string, { alias: string; file: string; line: number }>;
}

/** A section whose directives are ignored (a `Match` block). */
const SKIPPED = Symbol('skipped');

async function parseFile(
  state: ParseState,
  file: string,
  text: string,
  conditions: string[][],
  stack: string[],
  initial: Section | null,
): Promise<void> {
  // The including section goes on inside the file until its first Host or Match line.
  let current: Section | typeof SKIPPED | null = initial;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    let parsed;
    try {
      parsed = lexConfigLine(lines[index]!);
    } catch (error) {
      if (!(error instanceof ConfigSyntaxError)) throw error;
      state.notices.push({ file, line: lineNo, message: `Skipped: ${error.message}.` });
      continue;
    }
    if (!parsed) continue;
    const { keyword, args } = parsed;
    if (keyword === 'host') {
      current = { patterns: args, conditions, directives: [], file, line: lineNo };
      state.sections.push(current);
      for (const alias of args) {
        if (isWildcard(alias) || state.concrete.has(alias.toLowerCase())) continue;
        // A Host line in a file included under another Host only applies to that host's name.
        if (!conditions.every((patterns) => matchHostPatterns(patterns, alias))) {
          state.notices.push({
            file,
            line: lineNo,
            message: `Host "${alias}" was skipped: it is included under another Host line and never applies.`,
          });
          continue;
        }
        state.concrete.set(alias.toLowerCase(), { alias, file, line: lineNo });
      }
      continue;
    }
    if (keyword === 'match') {
      state.notices.push({
        file,
        line: lineNo,
        message: `"Match ${args.join(' ')}" was skipped: OneHop imports only Host sections.`,
      });
      current = SKIPPED;
      continue;
    }
    if (current === SKIPPED) continue;
    if (keyword === 'include') {
      const within = current === null ? conditions : [...current.conditions, current.patterns];
      await include(state, file, lineNo, args, within, stack);
      // Directives after the Include still belong to the section that was open before it.
      if (current !== null) {
        current = { ...current, directives: [], line: lineNo };
        state.sections.push(current);
      }
      continue;
    }
    if (current === null) {
      // An included file's lines before its first Host belong to the including section's hosts.
      current = { patterns: ['*'], conditions, directives: [], file, line: lineNo };
      state.sections.push(current);
    }
    current.directives.push({ keyword, args, file, line: lineNo });
  }
}

async function include(
  state: ParseState,
  file: string,
  line: number,
  args: string[],
  conditions: string[][],
  stack: string[],
): Promise<void> {
  if (stack.length > MAX_INCLUDE_DEPTH) {
    state.notices.push({
      file,
      line,
      message: `Include skipped: includes are nested more than ${MAX_INCLUDE_DEPTH} deep.`,
    });
    return;
  }
  for (const arg of args) {
    const pattern = resolveIncludePath(arg, state.homeDir, state.includeBase);
    const files = await expandGlob(pattern);
    if (files.length === 0) {
      state.notices.push({ file, line, message: `Include ${arg} matched no files.` });
    }
    for (const target of files) {
      // OneHop's own generated config (the Include it may have added) is not the user's.
      if (target.startsWith(path.join(state.homeDir, '.ssh', 'onehop') + path.sep)) continue;
      if (stack.includes(target)) {
        state.notices.push({
          file,
          line,
          message: `Include of ${target} skipped: it includes itself (a cycle).`,
        });
        continue;
      }
      let text: string | null;
      try {
        text = await readConfigFile(target);
      } catch (error) {
        state.notices.push({
          file,
          line,
          message: `Include of ${target} failed: ${describe(error)}.`,
        });
        continue;
      }
      if (text !== null) await parseFile(state, target, text, conditions, [...stack, target], null);
    }
  }
}

function resolveIncludePath(arg: string, homeDir: string, base: string): string {
  if (arg === '~' || arg.startsWith('~/')) return path.join(homeDir, arg.slice(1));
  return path.isAbsolute(arg) ? path.normalize(arg) : path.join(base, arg);
}

/** Absolute glob (`*`, `?` per segment) → sorted existing files, as glob(3) gives them. */
async function expandGlob(pattern: string): Promise<string[]> {
  const { root, dir, base } = path.parse(pattern);
  const segments = [...dir.slice(root.length).split(path.sep).filter(Boolean), base];
  let candidates = [root];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const parent of candidates) {
      if (!/[*?]/.test(segment)) {
        next.push(path.join(parent, segment));
        continue;
      }
      let names: string[];
      try {
        names = await fs.readdir(parent);
      } catch {
        continue;
      }
      for (const name of names.sort()) {
        // glob(3) does not let wildcards match a leading dot.
        if (name.startsWith('.') && !segment.startsWith('.')) continue;
        if (globMatch(name, segment)) next.push(path.join(parent, name));
      }
    }
    candidates = [];
    for (const candidate of next) {
      const stat = await fs.stat(candidate).catch(() => null);
      if (stat && (last ? stat.isFile() : stat.isDirectory())) candidates.push(candidate);
    }
  }
  return candidates;
}

/** null when the file does not exist. */
async function readConfigFile(file: string): Promise<string | null> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('it is not a file');
    if (stat.size > MAX_FILE_BYTES) throw new Error('it is larger than 1 MiB');
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Keywords that take every value from every matching section instead of the first. */
const CUMULATIVE = new Set(['localforward', 'dynamicforward', 'remoteforward', 'identityfile']);

const PROXY = new Set(['proxyjump', 'proxycommand']);

export interface ResolvedHost {
  alias: string;
  /** keyword → the first value obtained (its arguments and where it was written); `proxy` is
   * whichever of ProxyJump and ProxyCommand came first. */
  values: Map<string, Directive>;
  /** Cumulative keywords (LocalForward, DynamicForward…): every value, in order. */
  lists: Map<string, Directive[]>;
}

/** The settings ssh would use for `ssh <alias>`, for the keywords this file sets. */
export function resolveHost(config: ParsedSshConfig, alias: string): ResolvedHost {
  const values = new Map<string, Directive>();
  const lists = new Map<string, Directive[]>();
  for (const section of config.sections) {
    if (!section.conditions.every((patterns) => matchHostPatterns(patterns, alias))) continue;
    if (!matchHostPatterns(section.patterns, alias)) continue;
    for (const directive of section.directives) {
      if (CUMULATIVE.has(directive.keyword)) {
        const list = lists.get(directive.keyword) ?? [];
        list.push(directive);
        lists.set(directive.keyword, list);
      } else if (!values.has(directive.keyword)) {
        values.set(directive.keyword, directive);
      }
      // ProxyJump and ProxyCommand exclude each other: the first one obtained is `proxy`.
      if (PROXY.has(directive.keyword) && !values.has('proxy')) values.set('proxy', directive);
    }
  }
  return { alias, values, lists };
}

export function formatNotice(notice: ConfigNotice): string {
  return `${notice.file}:${notice.line}: ${notice.message}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
