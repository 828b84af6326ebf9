/**
 * A minimal, closed unpickler: the opcodes a torch state-dict pickle uses (protocols 2–4) and
 * nothing more. It never imports or calls anything by itself: GLOBAL / STACK_GLOBAL resolve
 * through the caller's allow-list, BINPERSID through the caller's `persistentLoad`. Any other
 * opcode or class is refused with an error naming it and its byte offset.
 */

export type PyKey = string | number | bigint | boolean | null;
export type PyValue = PyKey | Uint8Array | PyValue[] | PyTuple | PyDict | PyCallable | PyObject;
export type PyDict = Map<PyKey, PyValue>;

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A class or function the allow-list handed out; REDUCE calls it. */
export class PyCallable {
  constructor(
    readonly qualifiedName: string,
    readonly call: (args: PyValue[]) => PyValue,
  ) {}
}

/** An opaque result of an allowed call (e.g. a tensor reference), carried as-is. */
export class PyObject<T = unknown> {
  constructor(
    readonly type: string,
    readonly value: T,
  ) {}
}

export interface PickleHooks {
  /** Returns the allowed object for `module.name`, or undefined to refuse it. */
  findGlobal(module: string, name: string): PyCallable | undefined;
  persistentLoad(pid: PyValue): PyValue;
}

export class PickleError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (data.pkl byte ${offset})`);
    this.name = 'PickleError';
  }
}

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

export function unpickle(bytes: Uint8Array, hooks: PickleHooks): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;
  let at = 0; // offset of the current opcode, for messages

  const fail = (message: string): never => {
    throw new PickleError(message, at);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail('data.pkl ends in the middle of an opcode');
    const start = pos;
    pos += n;
    return start;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const text = (n: number): string => {
    const start = need(n);
    try {
      return decoder.decode(bytes.subarray(start, start + n));
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('an unterminated GLOBAL line');
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) return fail('the stack is empty or at a MARK');
    return v;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) return fail('the stack is empty or at a MARK');
    return v;
  };
  const popMark = (): PyValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('no MARK on the stack');
    const items = stack.splice(i) as PyValue[];
    items.shift();
    return items;
  };
  const key = (k: PyValue): PyKey => {
    if (k === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof k)) {
      return k as PyKey;
    }
    return fail('a dict key that is not a string, number, bool or None');
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!(target instanceof Map)) fail('SETITEM(S) on something that is not a dict');
    if (items.length % 2) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) (target as PyDict).set(key(items[i]!), items[i + 1]!);
  };
  const resolve = (module: string, name: string): PyCallable =>
    hooks.findGlobal(module, name) ?? fail(`refusing the Python object ${module}.${name}`);
  const memoGet = (i: number): PyValue => (memo.has(i) ? memo.get(i)! : fail(`memo ${i} is unset`));

  for (;;) {
    at = pos;
    const op = u8();
    switch (op) {
      case OP.PROTO:
        u8();
        break;
      case OP.FRAME: // a length prefix; the frames of one pickle are contiguous
        need(8);
        break;
      case OP.STOP:
        return pop();
      case OP.MARK:
        stack.push(MARK);
        break;
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.EMPTY_TUPLE:
        stack.push(new PyTuple([]));
        break;
      case OP.TUPLE:
        stack.push(new PyTuple(popMark()));
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const items = Array.from({ length: op - OP.TUPLE1 + 1 }, pop).reverse();
        stack.push(new PyTuple(items));
        break;
      }
      case OP.LIST:
        stack.push(popMark());
        break;
      case OP.DICT: {
        const d: PyDict = new Map();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case OP.APPEND:
      case OP.APPENDS: {
        const items = op === OP.APPEND ? [pop()] : popMark();
        const list = top();
        if (!Array.isArray(list)) fail('APPEND(S) to something that is not a list');
        (list as PyValue[]).push(...items);
        break;
      }
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case OP.BINPUT:
        memo.set(u8(), top());
        break;
      case OP.LONG_BINPUT:
        memo.set(u32(), top());
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, top());
        break;
      case OP.BINGET:
        stack.push(memoGet(u8()));
        break;
      case OP.LONG_BINGET:
        stack.push(memoGet(u32()));
        break;
      case OP.BININT:
        stack.push(view.getInt32(need(4), true));
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        stack.push(u16());
        break;
      case OP.LONG1: {
        const n = u8();
        const start = need(n);
        stack.push(readLong1(bytes.subarray(start, start + n)));
        break;
      }
      case OP.BINFLOAT: // big-endian
        stack.push(view.getFloat64(need(8), false));
        break;
      case OP.BINUNICODE:
        stack.push(text(u32()));
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(u8()));
        break;
      case OP.SHORT_BINBYTES:
      case OP.BINBYTES: {
        const n = op === OP.BINBYTES ? u32() : u8();
        const start = need(n);
        stack.push(bytes.slice(start, start + n));
        break;
      }
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.GLOBAL: {
        const module = line();
        stack.push(resolve(module, line()));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          fail('STACK_GLOBAL needs two strings');
        }
        stack.push(resolve(module as string, name as string));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const fn = pop();
        if (!(fn instanceof PyCallable) || !(args instanceof PyTuple)) {
          fail('REDUCE needs an allowed callable and a tuple');
        }
        stack.push((fn as PyCallable).call((args as PyTuple).items));
        break;
      }
      case OP.BUILD: // only a dict's attributes (OrderedDict._metadata), which are dropped
        pop();
        if (!(top() instanceof Map)) fail('BUILD on something other than a dict');
        break;
      case OP.BINPERSID:
        stack.push(hooks.persistentLoad(pop()));
        break;
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

/** The opcodes this reader knows (Python's pickletools names). */
const OP = {
  PROTO: 0x80,
  FRAME: 0x95,
  STOP: 0x2e, // .
  MARK: 0x28, // (
  EMPTY_DICT: 0x7d, // }
  EMPTY_LIST: 0x5d, // ]
  EMPTY_TUPLE: 0x29, // )
  TUPLE: 0x74, // t
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  LIST: 0x6c, // l
  DICT: 0x64, // d
  APPEND: 0x61, // a
  APPENDS: 0x65, // e
  SETITEM: 0x73, // s
  SETITEMS: 0x75, // u
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  MEMOIZE: 0x94,
  BINGET: 0x68, // h
  LONG_BINGET: 0x6a, // j
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  BININT2: 0x4d, // M
  LONG1: 0x8a,
  BINFLOAT: 0x47, // G
  BINUNICODE: 0x58, // X
  SHORT_BINUNICODE: 0x8c,
  SHORT_BINBYTES: 0x43, // C
  BINBYTES: 0x42, // B
  NONE: 0x4e, // N
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  GLOBAL: 0x63, // c
  STACK_GLOBAL: 0x93,
  REDUCE: 0x52, // R
  BUILD: 0x62, // b
  BINPERSID: 0x51, // Q
} as const;

/** Little-endian two's-complement integer of any length. */
function readLong1(b: Uint8Array): number | bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b.length && b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}
