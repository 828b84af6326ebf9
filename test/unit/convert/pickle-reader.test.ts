import { describe, expect, it } from 'vitest';
import type { PyTuple } from '../../../src-main/engine/model/convert/pickle-reader.js';
import {
  PickleError,
  PyCallable,
  PyObject,
  unpickle,
  type PickleHooks,
} from '../../../src-main/engine/model/convert/pickle-reader.js';

/** Tiny pickle assembler: strings are opcodes/raw text, numbers raw bytes. */
function bytes(...parts: (string | number | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (Array.isArray(p)) out.push(...p);
    else out.push(...Buffer.from(p, 'latin1'));
  }
  return Uint8Array.from(out);
}
const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
const str = (s: string): (string | number[])[] => [
  'X',
  u32(Buffer.byteLength(s)),
  Buffer.from(s).toString('latin1'),
];

const none: PickleHooks = { findGlobal: () => undefined, persistentLoad: () => null };

describe('unpickle', () => {
  it('reads the plain values a state dict pickle uses', () => {
    const data = bytes(
      0x80,
      2,
      '}',
      'q',
      0,
      '(',
      ...str('a'),
      'K',
      5,
      ...str('b'),
      'M',
      [0x34, 0x12],
      ...str('c'),
      'J',
      u32(0xfffffffe),
      ...str('d'),
      'G',
      [0x3f, 0xf8, 0, 0, 0, 0, 0, 0],
      ...str('e'),
      0x88,
      ...str('f'),
      'N',
      ...str('g'),
      '(',
      'K',
      1,
      'K',
      2,
      't',
      ...str('h'),
      ']',
      'q',
      1,
      'K',
      7,
      'a',
      'h',
      1,
      0x86,
      'u',
      '.',
    );
    const value = unpickle(data, none) as Map<string, unknown>;
    expect(value.get('a')).toBe(5);
    expect(value.get('b')).toBe(0x1234);
    expect(value.get('c')).toBe(-2);
    expect(value.get('d')).toBe(1.5);
    expect(value.get('e')).toBe(true);
    expect(value.get('f')).toBeNull();
    expect((value.get('g') as PyTuple).items).toEqual([1, 2]);
    const pair = value.get('h') as PyTuple; // ([7], <memo 1 = the same list>)
    expect(pair.items[0]).toEqual([7]);
    expect(pair.items[1]).toBe(pair.items[0]);
  });

  it('reads LONG1 integers of any sign and size', () => {
    expect(unpickle(bytes(0x80, 2, 0x8a, 2, [0xff, 0x7f], '.'), none)).toBe(0x7fff);
    expect(unpickle(bytes(0x80, 2, 0x8a, 1, [0xff], '.'), none)).toBe(-1);
    expect(unpickle(bytes(0x80, 2, 0x8a, 9, [0, 0, 0, 0, 0, 0, 0, 0, 1], '.'), none)).toBe(
      2n ** 64n,
    );
  });

  it('resolves GLOBAL and STACK_GLOBAL only through the allow-list and REDUCEs allowed callables', () => {
    const hooks: PickleHooks = {
      findGlobal: (m, n) =>
        m === 'collections' && n === 'OrderedDict'
          ? new PyCallable('collections.OrderedDict', () => new Map())
          : undefined,
      persistentLoad: (pid) => new PyObject('storage', (pid as PyTuple).items[1]),
    };
    const od = unpickle(bytes(0x80, 2, 'c', 'collections\nOrderedDict\n', ')', 'R', '.'), hooks);
    expect(od).toBeInstanceOf(Map);
    const stacked = unpickle(
      bytes(0x80, 4, 0x8c, 11, 'collections', 0x8c, 11, 'OrderedDict', 0x93, ')', 'R', '.'),
      hooks,
    );
    expect(stacked).toBeInstanceOf(Map);
    const pid = unpickle(
      bytes(0x80, 2, ...str('storage'), ...str('7'), 0x86, 'Q', '.'),
      hooks,
    ) as PyObject;
    expect(pid.value).toBe('7');
  });

  it('refuses classes outside the allow-list, naming them', () => {
    const evil = bytes(0x80, 2, 'c', 'os\nsystem\n', ...str('echo hi'), 0x85, 'R', '.');
    expect(() => unpickle(evil, none)).toThrow(PickleError);
    expect(() => unpickle(evil, none)).toThrow(
      /refusing the Python object os\.system \(data\.pkl byte 2\)/,
    );
  });

  it('refuses opcodes it does not know, and data that ends early', () => {
    expect(() => unpickle(bytes(0x80, 2, 'I', '1\n', '.'), none)).toThrow(
      /unsupported pickle opcode 0x49/,
    );
    expect(() => unpickle(bytes(0x80, 2, 'X', u32(10), 'ab'), none)).toThrow(/ends in the middle/);
    expect(() => unpickle(bytes(0x80, 2, 'h', 3, '.'), none)).toThrow(/memo 3 is unset/);
  });
});
