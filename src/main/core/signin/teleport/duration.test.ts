import { describe, expect, it } from 'vitest';
import { durationInWords, formatDuration, parseGoDuration } from './duration';

describe('parseGoDuration', () => {
  it.each([
    ['12h0m0s', 12 * 3_600_000],
    ['30m', 1_800_000],
    ['1h30m0s', 5_400_000],
    ['90s', 90_000],
    ['1.5h', 5_400_000],
    ['0', 0],
    ['0s', 0],
    ['300ms', 300],
    ['1500us', 1.5],
    ['2µs', 0.002],
    ['-1m', -60_000],
    ['30h0m0s', 108_000_000],
    ['.5m', 30_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '12', 'h', '1.5.5h', '12 h', '1d', 'abc', '1h-30m', '-', '5m3'])(
    'refuses %j',
    (text) => {
      expect(() => parseGoDuration(text)).toThrow(`Invalid duration "${text}".`);
    },
  );

  it('gives whole nanoseconds for 30 h without rounding error', () => {
    const ns = parseGoDuration('30h') * 1e6;
    expect(ns).toBe(108_000_000_000_000);
    expect(Number.isSafeInteger(ns)).toBe(true);
  });
});

describe('duration text', () => {
  it('formats for messages', () => {
    expect(formatDuration(5_400_000)).toBe('1 h 30 min');
    expect(formatDuration(48 * 3_600_000)).toBe('48 h');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatDuration(250)).toBe('250 ms');
    expect(durationInWords(180_000)).toBe('3 minutes');
    expect(durationInWords(60_000)).toBe('1 minute');
    expect(durationInWords(2000)).toBe('2 seconds');
    expect(durationInWords(150)).toBe('150 ms');
  });
});
