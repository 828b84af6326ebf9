import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexPipeline } from '../../../src-main/engine/workers/index-pipeline.js';
import { Slots } from '../../../src-main/engine/workers/slots.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { openTinyRunner } from '../../helpers/tiny-runner.js';

describe('decode slots', () => {
  it('never lets more than `size` holders run at once, and serves waiters in order', async () => {
    const slots = new Slots(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => async (): Promise<number> => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(i);
      running--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => slots.hold(job(i))));
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot when the work fails', async () => {
    const slots = new Slots(1);
    await expect(slots.hold(() => Promise.reject(new Error('bad photo')))).rejects.toThrow();
    await expect(slots.hold(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(() => new Slots(0)).toThrow(RangeError);
  });

  it('gives the same index results with one decode slot as without a limit', async () => {
    const dir = await tempDir();
    const { pack, session } = await openTinyRunner();
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ];
    const files = await Promise.all(
      colours.map((rgb, i) => solidImage(path.join(dir, `${i}.png`), rgb, { width: 40 })),
    );
    const one = await new IndexPipeline(pack, session, { decodeSlots: 1 }).run(files);
    const free = await new IndexPipeline(pack, session).run(files);
    expect(one).toEqual(free);
    const hash = createHash('sha256')
      .update(await readFile(files[0]!))
      .digest('hex');
    expect(one[0]).toMatchObject({ ok: true, hash });
    await session.release();
  });
});
