/**
 * One line of an OpenSSH client config → keyword and arguments, as readconf.c and argv_split()
 * in misc.c read it: keywords are case-insensitive, `Key Value` and `Key=Value` both work,
 * arguments may be quoted with " or ', a backslash escapes a quote or a backslash (and a space
 * outside quotes), and
 * an unquoted `#` that starts an argument ends the line.
 */

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

/** OpenSSH host pattern lists (`Host a b !c`): case-insensitive glob with `*` and `?`. */
export function matchHostPatterns(patterns: readonly string[], host: string): boolean {
  const name = host.toLowerCase();
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = (negated ? pattern.slice(1) : pattern).toLowerCase();
    if (globMatch(name, glob)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export function isWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern) || pattern.startsWith('!');
}

/** `*` any run, `?` one character (match_pattern in match.c). */
export function globMatch(subject: string, pattern: string): boolean {
  let s = 0;
  let p = 0;
  let starP = -1;
  let starS = 0;
  while (s < subject.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === subject[s])) {
      s++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starS = s;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
