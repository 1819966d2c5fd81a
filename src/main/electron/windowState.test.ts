import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  isReachable,
  restoreWindowState,
  sameWindowState,
  toSavedWindowState,
  type Rect,
} from './windowState';

const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1050 };
const rightMonitor: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('isReachable', () => {
  it('accepts a window whose title bar is on a display', () => {
    expect(isReachable({ x: 100, y: 100, width: 800, height: 600 }, [laptop])).toBe(true);
    expect(isReachable({ x: 2000, y: 50, width: 800, height: 600 }, [laptop, rightMonitor])).toBe(
      true,
    );
  });

  it('accepts a window that hangs partly off the edge but can still be grabbed', () => {
    expect(isReachable({ x: 1700, y: 100, width: 800, height: 600 }, [laptop])).toBe(true);
    expect(isReachable({ x: -600, y: 100, width: 800, height: 600 }, [laptop])).toBe(true);
  });

  it('rejects a window left on an unplugged monitor or above the top edge', () => {
    expect(isReachable({ x: 2000, y: 50, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 1880, y: 100, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: -500, width: 800, height: 600 }, [laptop])).toBe(false);
    expect(isReachable({ x: 100, y: 1040, width: 800, height: 600 }, [laptop])).toBe(false);
  });
});

describe('restoreWindowState', () => {
  it('opens at the default size, centred, the first time', () => {
    expect(restoreWindowState(undefined, [laptop], laptop)).toEqual({
      bounds: { ...DEFAULT_SIZE },
      maximized: false,
    });
  });

  it('restores a reachable position and size', () => {
    const saved = { x: 2100, y: 80, width: 1400, height: 900, maximized: true };
    expect(restoreWindowState(saved, [laptop, rightMonitor], laptop)).toEqual({
      bounds: { x: 2100, y: 80, width: 1400, height: 900 },
      maximized: true,
    });
  });

  it('drops a position that is no longer visible and fits the size to the primary display', () => {
    const saved = { x: 2100, y: 80, width: 2400, height: 1300, maximized: false };
    expect(restoreWindowState(saved, [laptop], laptop)).toEqual({
      bounds: { width: 1920, height: 1050 },
      maximized: false,
    });
  });

  it('never goes below the minimum size, even on a tiny display', () => {
    const tiny: Rect = { x: 0, y: 0, width: 320, height: 240 };
    expect(restoreWindowState(undefined, [tiny], tiny).bounds).toEqual({ ...MIN_SIZE });
  });

  it('keeps the size but lets the OS place a window saved without a position', () => {
    expect(
      restoreWindowState({ width: 900, height: 700, maximized: false }, [laptop], laptop),
    ).toEqual({
      bounds: { width: 900, height: 700 },
      maximized: false,
    });
  });
});

describe('toSavedWindowState', () => {
  it('rounds and clamps to the limits the settings schema accepts', () => {
    expect(toSavedWindowState({ x: 10.6, y: -3.2, width: 120, height: 20000 }, false)).toEqual({
      x: 11,
      y: -3,
      width: MIN_SIZE.width,
      height: 10000,
      maximized: false,
    });
  });

  it('tells whether anything changed', () => {
    const state = toSavedWindowState({ x: 1, y: 2, width: 800, height: 600 }, true);
    expect(sameWindowState(undefined, state)).toBe(false);
    expect(sameWindowState({ ...state }, state)).toBe(true);
    expect(sameWindowState({ ...state, maximized: false }, state)).toBe(false);
  });
});
