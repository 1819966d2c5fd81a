/**
 * One line of an OpenSSH client config → keyword and arguments, as readconf.c and argv_split()
 * in misc.c read it: keywords are case-insensitive, `Key Value` and `Key=Value` both work,
 * arguments may be quoted with " or ', a backslash escapes a quote or a backslash (and a space
 * outside quotes), and
 * an unquoted `#` that starts an argument ends the line.
 */
import { globMatchText, hostMatchesPatterns } from '../../ssh/hostKeys';

export interface ConfigLine {
  /** Lower-cased. */
  keyword: string;
  args: string[];
}

export class ConfigSyntaxError extends Error {
  override readonly name = 'ConfigSyntaxError';
}

/** null for blank and comment lines; throws ConfigSyntaxError for an unterminated quote. */
export function lexConfigLine(raw: string): ConfigLine | null {
  const line = raw.replace(/\r$/, '');
  const keywordMatch = /^[ \t\f]*([^ \t\f=]+)/.exec(line);
  if (!keywordMatch || keywordMatch[1]!.startsWith('#')) return null;
  let rest = line.slice(keywordMatch[0].length);
  // At most one "=" between the keyword and its value, with optional white space around it.
  rest = rest.replace(/^[ \t\f]*(=[ \t\f]*)?/, '');
  return { keyword: keywordMatch[1]!.toLowerCase(), args: splitArgs(rest) };
}

function splitArgs(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t\f]/.test(text[i]!)) i++;
    if (i >= text.length || text[i] === '#') break;
    let arg = '';
    let quote: '"' | "'" | null = null;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (quote === null && /[ \t\f]/.test(c)) break;
      if (c === '\\' && i + 1 < text.length) {
        // argv_split: \' \" \\ anywhere, and an escaped space outside quotes.
        const next = text[i + 1]!;
        if (/["'\\]/.test(next) || (quote === null && next === ' ')) {
          arg += next;
          i++;
          continue;
        }
      }
      if (quote === null && (c === '"' || c === "'")) quote = c;
      else if (c === quote) quote = null;
      else arg += c;
    }
    if (quote !== null) throw new ConfigSyntaxError('the line has an unterminated quote');
    args.push(arg);
  }
  return args;
}

/**
 * OpenSSH host pattern lists (`Host a b !c`): the same match_pattern_list as known_hosts —
 * case-insensitive, `*` and `?`, a matching `!pattern` vetoes the list.
 */
export function matchHostPatterns(patterns: readonly string[], host: string): boolean {
  return hostMatchesPatterns(host.toLowerCase(), patterns);
}

export function isWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern) || pattern.startsWith('!');
}

/** `*` any run, `?` one character (match_pattern in match.c), for Include path segments. */
export const globMatch = globMatchText;
