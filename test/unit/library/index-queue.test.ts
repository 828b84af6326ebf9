import { describe, expect, it } from 'vitest';
import type { IndexProgress } from '../../../src-main/engine/library/indexer.js';
import { IndexQueue } from '../../../src-main/engine/library/index-queue.js';
import { gatedRunner, openTinyRunner } from '../../helpers/tiny-runner.js';

/** The real tiny-pack runner behind a gate: each batch runs when the test says `next()`. The
 *  files named here do not exist, so each comes back failed (IO), as from any real library. */
async function manualRunner() {
  return gatedRunner((await openTinyRunner()).runner);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('index queue', () => {
  it('runs new before changed before re-embed, in bounded batches', async () => {
    const runner = await manualRunner();
    const queue = new IndexQueue(runner.runner, {
      batchSize: 2,
      apply: async (r) => ({ indexed: r.length, failed: 0 }),
    });
    queue.pause();
    queue.add('re1', 'reembed');
    queue.add('ch1', 'changed');
    queue.add('new1', 'new');
    queue.add('new2', 'new');
    queue.add('re1', 'new'); // promoted
    queue.add('new1', 'reembed'); // not demoted
    queue.resume();
    expect(runner.batches).toEqual([['new1', 'new2']]); // one batch in flight at a time
    await runner.next();
    await tick();
    expect(runner.batches[1]).toEqual(['re1', 'ch1']);
    await runner.next();
    await queue.drained();
    expect(queue.snapshot()).toMatchObject({ done: 4, total: 4, indexed: 4, queued: 0 });
  });

  it('pauses between batches and resumes where it stopped', async () => {
    const runner = await manualRunner();
    const events: IndexProgress[] = [];
    const queue = new IndexQueue(runner.runner, {
      batchSize: 1,
      apply: async (r) => ({ indexed: 0, failed: r.length }),
      onProgress: (p) => events.push(p),
    });
    queue.add('a', 'new');
    queue.add('b', 'new');
    queue.pause();
    await runner.next();
    await tick();
    expect(runner.batches).toEqual([['a']]);
    expect(queue.snapshot()).toMatchObject({ done: 1, total: 2, failed: 1, paused: true });
    queue.resume();
    expect(runner.batches).toEqual([['a'], ['b']]);
    await runner.next();
    await queue.drained();
    expect(events.at(-1)).toMatchObject({ done: 2, total: 2, etaSeconds: 0 });
    expect(events.some((e) => e.paused)).toBe(true);
  });

  it('says no rate or ETA while paused, and measures the rate afresh after resuming', async () => {
    const runner = await manualRunner();
    const queue = new IndexQueue(runner.runner, {
      batchSize: 1,
      apply: async (r) => ({ indexed: r.length, failed: 0 }),
    });
    for (const file of ['a', 'b', 'c']) queue.add(file, 'new');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await runner.next();
    await tick();
    expect(queue.snapshot().imagesPerSecond).toBeGreaterThan(0);
    queue.pause();
    await runner.next();
    await tick();
    expect(queue.snapshot()).toMatchObject({ imagesPerSecond: 0, etaSeconds: null, paused: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    queue.resume();
    expect(queue.snapshot()).toMatchObject({ imagesPerSecond: 0, etaSeconds: null, paused: false });
    await new Promise((resolve) => setTimeout(resolve, 10));
    await runner.next();
    await queue.drained();
    // One photo in about 10 ms since the resume, not one in 200+ ms of pause.
    expect(queue.snapshot().imagesPerSecond).toBeGreaterThan(15);
  });

  it('counts skipped files and forgets removed ones', async () => {
    const runner = await manualRunner();
    const queue = new IndexQueue(runner.runner, { apply: async () => ({ indexed: 0, failed: 0 }) });
    queue.pause();
    queue.add('a', 'new');
    queue.add('b', 'changed');
    queue.countSkipped(3);
    queue.remove('b');
    expect(queue.lanesSnapshot()).toEqual({ new: 1, changed: 0, reembed: 0 });
    expect(queue.snapshot()).toMatchObject({ total: 4, done: 3, skipped: 3 });
  });
});
