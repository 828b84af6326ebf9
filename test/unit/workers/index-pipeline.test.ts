import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thumbnailPath } from '../../../src-main/engine/image/thumbnails.js';
import { IndexPipeline } from '../../../src-main/engine/workers/index-pipeline.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { openTinyRunner } from '../../helpers/tiny-runner.js';

describe('index pipeline', () => {
  it('leaves no temp file behind when a thumbnail cannot be saved', async () => {
    const dir = await tempDir();
    const { pack, session } = await openTinyRunner();
    const photo = await solidImage(path.join(dir, 'red.png'), [255, 0, 0], { width: 64 });
    const hash = createHash('sha256')
      .update(await readFile(photo))
      .digest('hex');
    const thumbDir = path.join(dir, 'thumbs');
    const thumb = thumbnailPath(thumbDir, hash);
    // A folder where the thumbnail should go: the rename onto it fails.
    await mkdir(thumb, { recursive: true });
    await writeFile(path.join(thumb, 'keep'), 'x');
    const pipeline = new IndexPipeline(pack, session, { thumbDir });
    const [result] = await pipeline.run([photo]);
    expect(result).toMatchObject({ ok: true, thumb: false });
    expect(await readdir(path.dirname(thumb))).toEqual([path.basename(thumb)]);
    await session.release();
  });

  it('reads each photo whole into its reused buffer: every content id and matrix its own', async () => {
    // Two decode slots, batches of photos of different sizes (a larger one after smaller ones
    // grows a kept buffer; a smaller one after a larger one reads into part of it).
    const dir = await tempDir();
    const { pack, session } = await openTinyRunner();
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [0, 200, 40],
      [30, 60, 250],
      [240, 240, 0],
      [90, 0, 90],
      [0, 0, 0],
    ];
    const photos = await Promise.all(
      colours.map((rgb, i) =>
        solidImage(path.join(dir, `p${i}.png`), rgb, { width: [8, 900, 16, 1400, 12, 600][i]! }),
      ),
    );
    const sha256 = async (file: string): Promise<string> =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    const pipeline = new IndexPipeline(pack, session, { decodeSlots: 2 });
    const fresh = new IndexPipeline(pack, session);
    for (const batch of [photos.slice(0, 3), photos.slice(3), photos.slice().reverse()]) {
      const results = await pipeline.run(batch);
      for (const [i, result] of results.entries()) {
        expect(result).toMatchObject({ ok: true, hash: await sha256(batch[i]!) });
        const [alone] = await fresh.run([batch[i]!]);
        expect(result.ok && alone?.ok && Array.from(result.matrix)).toEqual(
          alone?.ok && Array.from(alone.matrix),
        );
      }
    }
    await session.release();
  });
});
