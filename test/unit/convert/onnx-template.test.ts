import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATE } from '../../../src-main/engine/model/convert/convert-official.js';
import {
  encodeVarint,
  parseTemplate,
  readFields,
  readVarint,
  slotFraming,
} from '../../../src-main/engine/model/convert/onnx-template.js';

describe('protobuf varints', () => {
  it('round-trips values up to 2^53', () => {
    for (const v of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, 2 ** 53 - 1]) {
      const bytes = encodeVarint(v);
      expect(readVarint(bytes, 0)).toEqual([v, bytes.length]);
    }
  });

  it('refuses a field that runs past its message', () => {
    expect(() => readFields(Uint8Array.from([0x0a, 0x05, 1, 2]))).toThrow(/runs past/);
  });
});

describe('the TResNet-M template', () => {
  it('has a slot per official state_dict tensor, named by its key', async () => {
    const template = parseTemplate(await readFile(DEFAULT_TEMPLATE));
    expect(template.slots.size).toBe(373);
    expect(template.slots.get('conv1.0.weight')?.dims).toEqual([64, 48, 3, 3]);
    expect(template.slots.get('layer3.0.conv2.0.0.weight')?.dims).toEqual([256, 256, 3, 3]);
    expect(template.slots.get('layer4.0.downsample.1.1.running_var')?.dims).toEqual([2048]);
    expect(template.slots.get('embedding.weight')?.dims).toEqual([2100, 2048]);
    const names = [...template.slots.keys()];
    expect(names.every((n) => /^(conv1|layer[1-4]\.\d+\.[\w.]+|embedding)\.[\w.]*$/.test(n))).toBe(
      true,
    );
    expect(names.some((n) => n.startsWith('const.') || n.endsWith('num_batches_tracked'))).toBe(
      false,
    );
    expect([...template.slots.values()].every((s) => s.dataType === 1)).toBe(true);
  });

  it('frames a filled tensor with exact lengths', async () => {
    const template = parseTemplate(await readFile(DEFAULT_TEMPLATE));
    const slot = template.slots.get('conv1.1.bias')!;
    const { tensorBytes, head } = slotFraming(slot, 64 * 4);
    const filled = Buffer.concat([head, Buffer.alloc(64 * 4)]);
    const [outer] = readFields(filled);
    expect(outer).toMatchObject({ no: 5, wire: 2, end: filled.length });
    expect(outer!.end - outer!.valueStart).toBe(tensorBytes);
    const inner = readFields(filled, outer!.valueStart, outer!.end);
    expect(inner.find((f) => f.no === 9)!.end - inner.find((f) => f.no === 9)!.valueStart).toBe(
      256,
    );
    expect(
      filled.toString(
        'utf8',
        inner.find((f) => f.no === 8)!.valueStart,
        inner.find((f) => f.no === 8)!.end,
      ),
    ).toBe('conv1.1.bias');
  });
});
