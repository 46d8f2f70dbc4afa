// The main window's size, position and maximised state, kept in the workbench home between
// sessions. A saved position is used only if it is still on one of the connected displays.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 820 }, maximized: false };
export const MIN_SIZE = { width: 640, height: 420 };

function isRectangle(v: unknown): v is Rectangle {
  const r = v as Rectangle;
  return typeof v === 'object' && v !== null && [r.x, r.y, r.width, r.height].every((n) => Number.isInteger(n));
}

/** The saved state, or null when there is none or it is unreadable (the window then opens centred). */
export function loadWindowState(home: string): WindowState | null {
  try {
    const raw = JSON.parse(readFileSync(join(home, WINDOW_STATE_FILE), 'utf8')) as Partial<WindowState>;
    if (!isRectangle(raw.bounds)) return null;
    return {
      bounds: { ...raw.bounds, width: Math.max(raw.bounds.width, MIN_SIZE.width), height: Math.max(raw.bounds.height, MIN_SIZE.height) },
      maximized: raw.maximized === true,
    };
  } catch {
    return null;
  }
}

export function saveWindowState(home: string, state: WindowState): void {
  const path = join(home, WINDOW_STATE_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** True when the rectangle overlaps one of the work areas by enough to grab the title bar. */
export function isVisibleOn(bounds: Rectangle, workAreas: Rectangle[]): boolean {
  return workAreas.some((a) => {
    const w = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x);
    const h = Math.min(bounds.y + bounds.height, a.y + a.height) - Math.max(bounds.y, a.y);
    return w >= 100 && h >= 50;
  });
}
