/** Indexing progress lines: at most one per interval, and the last count always printed. */
import { describe, expect, it } from 'vitest';
import { progressLines } from '../../../src-main/cli/progress-lines.js';
import type { IndexProgress } from '../../../src-main/engine/api/contract.js';

function progress(done: number, total: number): IndexProgress {
  return { done, total, indexed: 0, skipped: done, failed: 0, imagesPerSecond: 0, etaSeconds: 0 };
}

describe('progress lines', () => {
  it('prints one line per interval while a scan sends done = total for every file', () => {
    const out: string[] = [];
    let clock = 0;
    const lines = progressLines((t) => out.push(t), { now: () => clock, intervalMs: 250 });
    // 1000 unchanged photos found one by one within 600 ms: each event has done = total.
    for (let n = 1; n <= 1000; n++) {
      clock = n * 0.6;
      lines.update(progress(n, n));
    }
    lines.flush();
    expect(out.length).toBeLessThanOrEqual(5);
    expect(out[0]).toMatch(/^indexing 1\/1 /);
    expect(out.at(-1)).toMatch(/^indexing 1000\/1000 .*\n$/);
  });

  it('prints nothing more on flush when the last event was printed', () => {
    const out: string[] = [];
    const lines = progressLines((t) => out.push(t), { now: () => 0, terminal: true });
    lines.update(progress(3, 3));
    lines.flush();
    expect(out).toHaveLength(1);
    expect(out[0]?.startsWith('\rindexing 3/3 ')).toBe(true);
    expect(out[0]?.endsWith('\u001b[K')).toBe(true);
  });
});
