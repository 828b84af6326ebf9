/**
 * The main window's size, position and maximised state, kept in the user-data folder and put
 * back on start, as long as it still fits on a connected display.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface WindowState extends Bounds {
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };
const MIN = { width: 640, height: 480 };

export function windowStateFile(userData: string): string {
  return path.join(userData, 'window-state.json');
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The saved state if it is sane and its window overlaps one of `displays`; else the default. */
export function sanitizeWindowState(saved: unknown, displays: readonly Bounds[]): WindowState {
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_WINDOW_STATE };
  const s = saved as Record<string, unknown>;
  if (!isNumber(s.width) || !isNumber(s.height)) return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = {
    width: Math.max(MIN.width, Math.round(s.width)),
    height: Math.max(MIN.height, Math.round(s.height)),
    maximized: s.maximized === true,
  };
  if (isNumber(s.x) && isNumber(s.y)) {
    const x = Math.round(s.x);
    const y = Math.round(s.y);
    const visible = displays.some(
      (d) =>
        x < (d.x ?? 0) + d.width &&
        x + state.width > (d.x ?? 0) &&
        y < (d.y ?? 0) + d.height &&
        y + 40 > (d.y ?? 0),
    );
    if (visible) Object.assign(state, { x, y });
  }
  return state;
}

export async function loadWindowState(
  file: string,
  displays: readonly Bounds[],
): Promise<WindowState> {
  const text = await readFile(file, 'utf8').catch(() => null);
  const parse = (): unknown => {
    try {
      return text ? JSON.parse(text) : null;
    } catch {
      return null;
    }
  };
  return sanitizeWindowState(parse(), displays);
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(state)}\n`);
}
