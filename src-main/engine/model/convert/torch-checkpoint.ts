/**
 * Reads a `torch.save` zip checkpoint without Python: `<prefix>/data.pkl` (a pickle whose
 * tensors are persistent ids pointing at raw storages `<prefix>/data/<key>`). Only the tensor
 * *references* are read here; the storages are streamed later, one at a time.
 *
 * Official ZS_SDL format: {'model': OrderedDict[name -> tensor], 'num_classes': int,
 * 'idx_to_class': {int: str}}. A bare state dict is accepted too.
 */
import { open } from 'node:fs/promises';
import { checkpointError } from './checkpoint-error.js';
import {
  PickleError,
  PyCallable,
  PyObject,
  PyTuple,
  unpickle,
  type PyDict,
  type PyValue,
} from './pickle-reader.js';
import { ZipArchive } from './zip-archive.js';

export type TorchDtype =
  | 'float32'
  | 'float16'
  | 'float64'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint8'
  | 'bool';

const STORAGE_DTYPES: Record<string, [TorchDtype, number]> = {
  FloatStorage: ['float32', 4],
  HalfStorage: ['float16', 2],
  DoubleStorage: ['float64', 8],
  BFloat16Storage: ['bfloat16', 2],
  LongStorage: ['int64', 8],
  IntStorage: ['int32', 4],
  ShortStorage: ['int16', 2],
  CharStorage: ['int8', 1],
  ByteStorage: ['uint8', 1],
  BoolStorage: ['bool', 1],
};

export interface StorageRef {
  key: string;
  entry: string; // zip entry name
  dtype: TorchDtype;
  itemBytes: number;
  numel: number;
}

export interface TensorRef {
  storage: StorageRef;
  offset: number; // elements
  shape: number[];
  stride: number[];
}

export interface TorchCheckpoint {
  file: string;
  archive: ZipArchive;
  /** State-dict tensors in pickle order. */
  tensors: Map<string, TensorRef>;
  numClasses: number | undefined;
  /** idx_to_class as a dense list, when present. */
  classes: string[] | undefined;
}

const MAX_PICKLE_BYTES = 64 * 1024 * 1024;

export async function openTorchCheckpoint(file: string): Promise<TorchCheckpoint> {
  const archive = await ZipArchive.open(file).catch(async (error: unknown) => {
    throw (await isLegacyTorchFile(file))
      ? checkpointError(
          'legacy-format',
          file,
          'uses the legacy torch.save format (PyTorch < 1.6), which is not read; re-save it with a recent PyTorch',
          {},
          error,
        )
      : error;
  });
  try {
    const pkl = archive.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
    if (!pkl) {
      const sample = archive.entries.slice(0, 5).map((e) => e.name);
      throw checkpointError(
        'not-torch',
        file,
        'is a zip but not a torch.save file (no <name>/data.pkl)',
        { entries: sample },
      );
    }
    const prefix = pkl.name.slice(0, -'data.pkl'.length);
    if (archive.has(`${prefix}byteorder`)) {
      const order = (await archive.read(`${prefix}byteorder`, 16)).toString('latin1').trim();
      if (order !== 'little') {
        throw checkpointError(
          'unsupported-tensor',
          file,
          `was saved ${order}-endian; only little-endian is supported`,
        );
      }
    }
    const root = parsePickle(file, await archive.read(pkl.name, MAX_PICKLE_BYTES), prefix);
    return { file, archive, ...officialParts(file, root) };
  } catch (error) {
    archive.close();
    throw error;
  }
}

/** The legacy format starts with a protocol-2 pickle of the magic number 0x1950a86a20f9469cfc6c. */
async function isLegacyTorchFile(file: string): Promise<boolean> {
  const magic = [
    0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
  ];
  try {
    const fh = await open(file);
    const head = Buffer.alloc(magic.length);
    await fh.read(head, 0, head.length, 0);
    await fh.close();
    return magic.every((b, i) => head[i] === b);
  } catch {
    return false;
  }
}

function parsePickle(file: string, bytes: Buffer, prefix: string): PyValue {
  const storages = new Map<string, StorageRef>();
  const storageClasses = new Map(
    Object.keys(STORAGE_DTYPES).map((name) => [
      name,
      new PyCallable(`torch.${name}`, () => fail(`torch.${name}() call`)),
    ]),
  );
  const fail = (what: string): never => {
    throw new PickleError(`unsupported use: ${what}`, 0);
  };
  const allowed: Record<string, PyCallable> = {
    'collections.OrderedDict': new PyCallable('collections.OrderedDict', (args) =>
      orderedDict(args),
    ),
    'torch._utils._rebuild_tensor_v2': new PyCallable('torch._utils._rebuild_tensor_v2', (args) =>
      rebuildTensor(args),
    ),
    'torch._utils._rebuild_parameter': new PyCallable(
      'torch._utils._rebuild_parameter',
      (args) => args[0] ?? null,
    ),
  };
  const persistentLoad = (pid: PyValue): PyValue => {
    // ('storage', torch.FloatStorage, key, location, numel)
    const [tag, type, key, , numel] = pid instanceof PyTuple ? pid.items : [];
    if (
      tag !== 'storage' ||
      !(type instanceof PyCallable) ||
      typeof key !== 'string' ||
      typeof numel !== 'number'
    ) {
      return fail('a persistent id that is not a torch storage');
    }
    const dtype = STORAGE_DTYPES[type.qualifiedName.slice('torch.'.length)]!;
    let ref = storages.get(key);
    if (!ref) {
      ref = { key, entry: `${prefix}data/${key}`, dtype: dtype[0], itemBytes: dtype[1], numel };
      storages.set(key, ref);
    }
    return new PyObject<StorageRef>('storage', ref);
  };
  try {
    return unpickle(bytes, {
      findGlobal: (module, name) =>
        module === 'torch' && storageClasses.has(name)
          ? storageClasses.get(name)
          : allowed[`${module}.${name}`],
      persistentLoad,
    });
  } catch (error) {
    if (error instanceof PickleError) {
      throw checkpointError(
        'unsupported-pickle',
        file,
        `data.pkl cannot be read safely: ${error.message}`,
        {},
        error,
      );
    }
    throw error;
  }
}

function orderedDict(args: PyValue[]): PyDict {
  const d: PyDict = new Map();
  const items = args[0];
  if (Array.isArray(items)) {
    for (const pair of items) {
      if (pair instanceof PyTuple && pair.items.length === 2) {
        d.set(pair.items[0] as string, pair.items[1]!);
      }
    }
  }
  return d;
}

/** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
function rebuildTensor(args: PyValue[]): PyObject<TensorRef> {
  const [storage, offset, size, stride] = args;
  const ints = (v: PyValue | undefined): number[] | undefined =>
    v instanceof PyTuple && v.items.every((x) => typeof x === 'number')
      ? (v.items as number[])
      : undefined;
  const shape = ints(size);
  const strides = ints(stride);
  if (
    !(storage instanceof PyObject) ||
    storage.type !== 'storage' ||
    typeof offset !== 'number' ||
    !shape ||
    !strides
  ) {
    throw new PickleError('unsupported use: _rebuild_tensor_v2 with unexpected arguments', 0);
  }
  return new PyObject<TensorRef>('tensor', {
    storage: storage.value as StorageRef,
    offset,
    shape,
    stride: strides,
  });
}

function officialParts(file: string, root: PyValue): Omit<TorchCheckpoint, 'file' | 'archive'> {
  if (!(root instanceof Map)) throw checkpointError('not-official', file, 'does not hold a dict');
  const model = root.get('model') ?? root.get('state_dict') ?? root;
  if (!(model instanceof Map)) {
    throw checkpointError('not-official', file, "its 'model' entry is not a state dict");
  }
  const tensors = new Map<string, TensorRef>();
  for (const [name, value] of model) {
    if (typeof name === 'string' && value instanceof PyObject && value.type === 'tensor') {
      tensors.set(name, value.value as TensorRef);
    }
  }
  if (tensors.size === 0) {
    throw checkpointError('not-official', file, 'holds no tensors under "model"');
  }
  const prefixed = [...tensors.keys()].every((k) => k.startsWith('module.'));
  const named = prefixed
    ? new Map([...tensors].map(([k, v]) => [k.slice('module.'.length), v]))
    : tensors;
  const numClasses = root.get('num_classes');
  return {
    tensors: named,
    numClasses: typeof numClasses === 'number' ? numClasses : undefined,
    classes: classList(root.get('idx_to_class')),
  };
}

function classList(value: PyValue | undefined): string[] | undefined {
  if (!(value instanceof Map)) return undefined;
  const out: string[] = [];
  for (const [k, v] of value) {
    if (typeof k !== 'number' || typeof v !== 'string' || k < 0 || k >= value.size) {
      return undefined;
    }
    out[k] = v;
  }
  return out.length === value.size ? out : undefined;
}
