/**
 * xterm colours from the CSS tokens in terminal.css. Custom properties hold `light-dark()`
 * expressions, so they are resolved through a probe element's computed `color`, which applies
 * the current color-scheme; xterm then gets plain `#rrggbb[aa]` values.
 */
import type { ITheme } from '@xterm/xterm';

const keys = {
  background: '--term-bg',
  foreground: '--term-fg',
  cursor: '--term-cursor',
  cursorAccent: '--term-cursor-accent',
  selectionBackground: '--term-selection',
  scrollbarSliderBackground: '--term-scrollbar',
  scrollbarSliderHoverBackground: '--term-scrollbar-hover',
  scrollbarSliderActiveBackground: '--term-scrollbar-hover',
  black: '--term-black',
  red: '--term-red',
  green: '--term-green',
  yellow: '--term-yellow',
  blue: '--term-blue',
  magenta: '--term-magenta',
  cyan: '--term-cyan',
  white: '--term-white',
  brightBlack: '--term-bright-black',
  brightRed: '--term-bright-red',
  brightGreen: '--term-bright-green',
  brightYellow: '--term-bright-yellow',
  brightBlue: '--term-bright-blue',
  brightMagenta: '--term-bright-magenta',
  brightCyan: '--term-bright-cyan',
  brightWhite: '--term-bright-white',
} as const satisfies Partial<Record<keyof ITheme, string>>;

export interface TerminalColours {
  theme: ITheme;
  /** Search highlight colours (#rrggbb, which the search addon requires). */
  searchMatch: string;
  searchActive: string;
}

/** `rgb(1, 2, 3)` / `rgba(1, 2, 3, 0.5)` → `#010203` / `#01020380`; anything else unchanged. */
export function cssColorToHex(value: string): string {
  const match =
    /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(
      value.trim(),
    );
  if (!match) return value.trim();
  const hex = (n: number) =>
    Math.round(Math.min(255, Math.max(0, n)))
      .toString(16)
      .padStart(2, '0');
  const [r, g, b] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  let out = `#${hex(r)}${hex(g)}${hex(b)}`;
  const alphaText = match[4];
  if (alphaText !== undefined) {
    const alpha = alphaText.endsWith('%')
      ? Number(alphaText.slice(0, -1)) / 100
      : Number(alphaText);
    if (alpha < 1) out += hex(alpha * 255);
  }
  return out;
}

export function readTerminalColours(doc: Document = document): TerminalColours {
  const probe = doc.createElement('span');
  probe.style.display = 'none';
  doc.body.append(probe);
  const resolve = (token: string) => {
    probe.style.color = `var(${token})`;
    return cssColorToHex(getComputedStyle(probe).color);
  };
  try {
    const theme: ITheme = {};
    for (const [key, token] of Object.entries(keys)) {
      theme[key as keyof typeof keys] = resolve(token);
    }
    return {
      theme,
      searchMatch: resolve('--term-search-match').slice(0, 7),
      searchActive: resolve('--term-search-active').slice(0, 7),
    };
  } finally {
    probe.remove();
  }
}

/** Calls `onChange` when the app theme (data-theme) or the OS colour scheme changes. */
export function watchColourScheme(onChange: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    media.removeEventListener('change', onChange);
    observer.disconnect();
  };
}
