import { describe, expect, it } from 'vitest';
import { cssColorToHex } from './terminalTheme';

describe('cssColorToHex', () => {
  it('turns computed rgb() and rgba() colours into hex', () => {
    expect(cssColorToHex('rgb(255, 255, 255)')).toBe('#ffffff');
    expect(cssColorToHex('rgb(29, 33, 39)')).toBe('#1d2127');
    expect(cssColorToHex('rgba(45, 108, 223, 0.22)')).toBe('#2d6cdf38');
    expect(cssColorToHex('rgb(45 108 223 / 50%)')).toBe('#2d6cdf80');
    expect(cssColorToHex('rgba(1, 2, 3, 1)')).toBe('#010203');
  });

  it('leaves other notations alone', () => {
    expect(cssColorToHex(' #abcdef ')).toBe('#abcdef');
    expect(cssColorToHex('color(srgb 1 0 0)')).toBe('color(srgb 1 0 0)');
  });
});
