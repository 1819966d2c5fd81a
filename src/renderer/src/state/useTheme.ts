import { useEffect } from 'react';
import type { Theme } from '../../../shared/model/settings';

/**
 * "system" leaves the attribute off so CSS follows `prefers-color-scheme`; an explicit choice
 * sets `data-theme` on <html>, which the stylesheet honours over the OS.
 */
export function useTheme(theme: Theme | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (!theme || theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
