/**
 * The one decode path against the official SDL pipeline's input on the six NUS-WIDE sample
 * pictures: `np.asarray(Image.open(p).convert('RGB').resize((224, 224))) / 255` (Pillow, at test
 * time) vs decodeImage with the official pack's input spec (resample "pillow").
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../src-main/engine/image/decode.js';
import { OFFICIAL_INPUT } from '../../../src-main/engine/model/convert/convert-official.js';
import { pillowResize } from '../../helpers/pillow.js';
import { NUS_WIDE } from '../../helpers/shared.js';

describe('decodeImage with resample "pillow"', () => {
  it('feeds the official pack what infer.py feeds it (mean |diff| ≤ 0.005)', async () => {
    const spec = OFFICIAL_INPUT;
    const files = (await readdir(path.join(NUS_WIDE, 'pics')))
      .sort()
      .map((f) => path.join(NUS_WIDE, 'pics', f));
    expect(files).toHaveLength(6);
    const want = await pillowResize(
      files.map((file) => ({ file, outWidth: spec.width, outHeight: spec.height })),
    );
    const report = [];
    for (const [i, file] of files.entries()) {
      const { model } = await decodeImage(file, spec, { thumbSize: 160 });
      expect(model.rgb.length).toBe(want[i]!.length);
      let sum = 0;
      let max = 0;
      for (let j = 0; j < model.rgb.length; j++) {
        const diff = (Math.abs(model.rgb[j]! - want[i]![j]!) * spec.scale) as number;
        sum += diff;
        max = Math.max(max, diff);
      }
      report.push({ file: path.basename(file), meanAbsDiff: sum / model.rgb.length, max });
    }
    console.log(JSON.stringify(report));
    for (const r of report) expect(r.meanAbsDiff, r.file).toBeLessThanOrEqual(0.005);
  });
});
