import { describe, expect, it } from 'vitest';
import {
  chooseLambda,
  labelPairs,
  retrieval,
} from '../../../src-main/engine/model/convert/label-space.js';
import { fitRidgeMap } from '../../../src-main/engine/model/convert/ridge-map.js';
import { gloveVectors } from './glove.js';
import { nusLabels } from './fixtures.js';

describe('ridge word map GloVe-100d → official 300-d space', () => {
  it(
    'maps the 81 unseen NUS-WIDE labels next to their official vectors',
    { timeout: 240_000 },
    async () => {
      const { labels, unseen, vectors } = await nusLabels();
      const glove = await gloveVectors(labels.flatMap((l) => [l, ...l.split(/[\s_-]+/)]));
      const lookup = (w: string): Float32Array | undefined => glove.vectors.get(w);
      const unseenSet = new Set(unseen.map((u) => labels.indexOf(u)));
      const seenSet = new Set(labels.map((_, i) => i).filter((i) => !unseenSet.has(i)));
      const seen = labelPairs(labels, vectors, lookup, seenSet);
      const heldOut = labelPairs(labels, vectors, lookup, unseenSet);
      const choice = chooseLambda(seen, vectors);
      const w = fitRidgeMap(seen.x, seen.y, seen.indices.length, choice.lambda);
      const result = retrieval(w, heldOut, vectors);
      console.log(
        JSON.stringify({
          source: glove.source,
          seenPairs: seen.indices.length,
          unseenPairs: heldOut.indices.length,
          lambda: choice.lambda,
          cv: choice.scores,
          unseen: result,
        }),
      );
      expect(seen.indices.length).toBeGreaterThan(880);
      expect(heldOut.indices.length).toBeGreaterThan(75);
      expect(result.top1).toBeGreaterThan(0.85);
      expect(result.top5).toBeGreaterThan(0.95);
    },
  );
});
