import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, sanitizeWindowState } from '../../../src-main/app/window-state.js';

const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('restores a saved window that is on a display', () => {
    expect(
      sanitizeWindowState({ x: 10, y: 20, width: 900, height: 700, maximized: true }, displays),
    ).toEqual({
      x: 10,
      y: 20,
      width: 900,
      height: 700,
      maximized: true,
    });
  });

  it('drops a position off every display and clamps tiny sizes', () => {
    expect(sanitizeWindowState({ x: 5000, y: 20, width: 100, height: 100 }, displays)).toEqual({
      width: 640,
      height: 480,
      maximized: false,
    });
  });

  it('falls back to the default for garbage', () => {
    expect(sanitizeWindowState('nope', displays)).toEqual(DEFAULT_WINDOW_STATE);
    expect(sanitizeWindowState({ width: 'big' }, displays)).toEqual(DEFAULT_WINDOW_STATE);
  });
});
