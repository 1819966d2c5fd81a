/**
 * Remembered window geometry as plain functions (no `electron` import): what to save, and where
 * to put the window next time so that it lands on a display that still exists.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The shape of `ui.window` in the settings (see UiPreferencesSchema). */
export interface SavedWindowState {
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1200, height: 800 } as const;
/** The settings schema's limits; the window's minimum size uses the same numbers. */
export const MIN_SIZE = { width: 400, height: 300 } as const;
const MAX_SIDE = 10000;

/** The top strip of the window (title bar) and how much of it must be on a display to grab it. */
const TITLE_STRIP = 40;
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 20;

/**
 * True when enough of the window's top edge (where the title bar is) lies inside one display's
 * work area to drag it; a window saved on a monitor that has since been unplugged fails this.
 */
export function isReachable(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: TITLE_STRIP };
  return workAreas.some((area) => {
    const overlap = intersect(titleBar, area);
    return (
      overlap !== null &&
      overlap.width >= Math.min(GRAB_WIDTH, bounds.width) &&
      overlap.height >= GRAB_HEIGHT
    );
  });
}

/**
 * Where to open the window: the saved bounds when they are reachable, otherwise the saved size
 * (shrunk to fit the primary display) without a position, which lets the OS centre it.
 */
export function restoreWindowState(
  saved: SavedWindowState | undefined,
  workAreas: readonly Rect[],
  primaryWorkArea: Rect,
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const fit = (size: number, max: number, min: number) =>
    Math.max(min, Math.min(Math.round(size), Math.max(min, max)));
  const width = fit(saved?.width ?? DEFAULT_SIZE.width, primaryWorkArea.width, MIN_SIZE.width);
  const height = fit(saved?.height ?? DEFAULT_SIZE.height, primaryWorkArea.height, MIN_SIZE.height);
  const maximized = saved?.maximized ?? false;
  if (saved && saved.x !== undefined && saved.y !== undefined) {
    const savedBounds = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
    if (isReachable(savedBounds, workAreas)) {
      const size = {
        width: clampSide(saved.width, MIN_SIZE.width),
        height: clampSide(saved.height, MIN_SIZE.height),
      };
      return { bounds: { x: saved.x, y: saved.y, ...size }, maximized };
    }
  }
  return { bounds: { width, height }, maximized };
}

/** What to store for the window: its normal (un-maximized) bounds, within the schema's limits. */
export function toSavedWindowState(normalBounds: Rect, maximized: boolean): SavedWindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: clampSide(normalBounds.width, MIN_SIZE.width),
    height: clampSide(normalBounds.height, MIN_SIZE.height),
    maximized,
  };
}

export function sameWindowState(a: SavedWindowState | undefined, b: SavedWindowState): boolean {
  return (
    a !== undefined &&
    a.x === b.x &&
    a.y === b.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.maximized === b.maximized
  );
}

function clampSide(value: number, min: number): number {
  return Math.max(min, Math.min(MAX_SIDE, Math.round(value)));
}

function intersect(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}
