/**
 * Go `time.Duration` strings as Teleport writes them (`types.Duration.MarshalJSON` gives
 * `12h0m0s`), and as users type them for `--ttl` (`90m`, `1.5h`). Same grammar as Go's
 * `time.ParseDuration`: an optional sign, then one or more `<number><unit>` pieces.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PIECE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/** Milliseconds (possibly fractional) of a Go duration string; throws on anything else. */
export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  let rest = trimmed;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  // Go accepts a bare zero without a unit, and nothing else without one.
  if (rest === '0') return 0;
  if (rest === '') throw new Error(`Invalid duration "${text}".`);
  PIECE.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  // Each iteration consumes at least two characters, so this ends.
  for (let match = PIECE.exec(rest); match; match = PIECE.exec(rest)) {
    const [whole, number = '', unit = ''] = match;
    total += Number(number) * (UNIT_MS[unit] ?? Number.NaN);
    consumed += whole.length;
  }
  if (consumed !== rest.length || !Number.isFinite(total)) {
    throw new Error(`Invalid duration "${text}".`);
  }
  return sign * total;
}

/** "12 h", "1 h 30 min", "90 s", "250 ms": for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (seconds) parts.push(`${seconds} s`);
  return parts.join(' ');
}

/** "3 minutes", "1 minute", "90 seconds", "200 ms": for sentences. */
export function durationInWords(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms >= 1000 && ms % 1000 === 0) return plural(ms / 1000, 'second');
  return `${Math.round(ms)} ms`;
}
