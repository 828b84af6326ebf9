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
});
