import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Embedder } from '../../../src-main/engine/workers/embedder.js';
import { loadPack, type ModelPack } from '../../../src-main/engine/model/pack.js';
import { ModelSession } from '../../../src-main/engine/model/session.js';
import { scoreLabels, scoreWithRow } from '../../../src-main/engine/index/scoring.js';
import { seenTags } from '../../../src-main/engine/index/tagger.js';
import { solidImage, tempDir } from '../../helpers/temp.js';
import { expectedTinyMatrix, writeTinyPack } from '../../helpers/tiny-pack.js';

async function embedderFor(order: 'kd' | 'dk'): Promise<Embedder> {
  const pack: ModelPack = await loadPack(
    await writeTinyPack(path.join(await tempDir(), order), { order }),
  );
  const session = await ModelSession.create(
    pack.modelPath,
    { inputName: 'image', output: pack.manifest.output },
    { provider: 'cpu' },
  );
  return new Embedder(pack, session);
}

describe('the model pipeline on a pack with known weights', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it.each(['kd', 'dk'] as const)('reads matrices in %s order exactly', async (order) => {
    const embedder = await embedderFor(order);
    expect(embedder.session.provider).toBe('cpu');
    const red = await solidImage(path.join(dir, `red-${order}.png`), [255, 0, 0], {
      width: 13,
      height: 7,
    });
    const teal = await solidImage(path.join(dir, `teal-${order}.png`), [0, 102, 204]);
    const [a, b] = await embedder.embed([red, teal]);
    if (!a?.ok || !b?.ok) throw new Error('embedding failed');
    expect(Array.from(a.matrix)).toEqual(
      expectedTinyMatrix([255, 0, 0], order).map((v) => expect.closeTo(v, 6)),
    );
    expect(Array.from(b.matrix)).toEqual(
      expectedTinyMatrix([0, 102, 204], order).map((v) => expect.closeTo(v, 6)),
    );
    expect(a.image).toMatchObject({ sourceWidth: 13, sourceHeight: 7, format: 'png' });
  });

  it('gives each batch its own images’ matrices, also when runs overlap', async () => {
    // Batches of one size reuse the input buffer of the last one that finished; a run that
    // starts while another holds it must not share it.
    const embedder = await embedderFor('kd');
    const colours: [number, number, number][] = [
      [255, 0, 0],
      [0, 102, 204],
      [51, 153, 0],
      [204, 204, 51],
    ];
    const files = await Promise.all(
      colours.map((rgb, i) => solidImage(path.join(dir, `batch-${i}.png`), rgb)),
    );
    const expected = (i: number): unknown[] =>
      expectedTinyMatrix(colours[i]!, 'kd').map((v) => expect.closeTo(v, 6));
    for (const pair of [
      [0, 1],
      [2, 3],
    ]) {
      const results = await embedder.embed(pair.map((i) => files[i]!));
      results.forEach((r, j) => expect(r.ok && Array.from(r.matrix)).toEqual(expected(pair[j]!)));
    }
    const overlapping = await Promise.all([
      embedder.embed([files[3]!, files[0]!]),
      embedder.embed([files[1]!, files[2]!]),
    ]);
    overlapping.flat().forEach((r, j) => {
      expect(r.ok && Array.from(r.matrix)).toEqual(expected([3, 0, 1, 2][j]!));
    });
  });

  it('scores s(w) = max_k <A_k, w> with the matching row', async () => {
    // kd matrix of teal (0, 0.4, 0.8): row 0 = (0, 0.4, 0.8), row 1 = (0.4, 0, 0.2).
    const matrix = Float32Array.from(expectedTinyMatrix([0, 102, 204], 'kd'));
    expect(scoreWithRow(matrix, 2, 3, [1, 0, 0])).toEqual({
      score: expect.closeTo(0.4, 6),
      row: 1,
    });
    expect(scoreWithRow(matrix, 2, 3, [0, 0, 1])).toEqual({
      score: expect.closeTo(0.8, 6),
      row: 0,
    });
    const all = scoreLabels(matrix, 2, 3, new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]));
    expect(Array.from(all)).toEqual([0.4, 0.4, 0.8].map((v) => expect.closeTo(v, 6)));
  });

  it('turns a photo into ranked seen tags', async () => {
    const embedder = await embedderFor('kd');
    const file = await solidImage(path.join(dir, 'blue.png'), [0, 0, 255]);
    const [result] = await embedder.embed([file]);
    if (!result?.ok) throw new Error('embedding failed');
    // blue (0,0,1): row 0 = (0,0,1), row 1 = (0.5,0,0) → blue 1, red 0.5, green 0.
    const tags = seenTags(embedder.pack, result.matrix);
    expect(tags.map((t) => [t.label, t.score, t.row])).toEqual([
      ['blue', 1, 0],
      ['red', 0.5, 1],
    ]);
  });

  it('records an undecodable file as a failure without failing the batch', async () => {
    const embedder = await embedderFor('kd');
    const good = await solidImage(path.join(dir, 'green.png'), [0, 255, 0]);
    const results = await embedder.embed([Buffer.from('not an image'), good]);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'IMAGE_UNSUPPORTED' } });
    expect(results[1]?.ok).toBe(true);
  });
});
