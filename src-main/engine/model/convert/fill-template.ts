/**
 * Writes model.onnx = template + checkpoint tensors, streaming: storages are read one after the
 * other in the order they lie in the zip and written straight out, so memory stays bounded by
 * one storage (and by a 1 MiB copy buffer for the usual float32 storage). Every protobuf length
 * is known up front from the template's dims, so nothing is buffered to learn a size.
 */
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { decodeHalves } from '../../store/float16.js';
import { checkpointError } from './checkpoint-error.js';
import {
  GRAPH_FIELD,
  INITIALIZER_FIELD,
  lenFieldHead,
  lenFieldSize,
  ONNX_FLOAT,
  slotFraming,
  type OnnxTemplate,
  type TemplateSlot,
} from './onnx-template.js';
import type { StorageRef, TensorRef, TorchCheckpoint } from './torch-checkpoint.js';

export interface FillProgress {
  bytesWritten: number;
  bytesTotal: number;
}

interface Placement {
  slot: TemplateSlot;
  tensor: TensorRef;
  numel: number;
}

const CONVERTIBLE = new Set(['float32', 'float16', 'float64']);
const LIST_LIMIT = 12;

/** Every slot has a same-named float tensor of the same shape, and nothing else is there. */
export function matchTensors(template: OnnxTemplate, ckpt: TorchCheckpoint): Placement[] {
  const missing: string[] = [];
  const mismatched: { name: string; expected: number[]; got: number[] }[] = [];
  const placements: Placement[] = [];
  for (const slot of template.slots.values()) {
    const tensor = ckpt.tensors.get(slot.name);
    if (!tensor) missing.push(slot.name);
    else if (tensor.shape.join() !== slot.dims.join())
      mismatched.push({ name: slot.name, expected: slot.dims, got: tensor.shape });
    else placements.push({ slot, tensor, numel: slot.dims.reduce((a, b) => a * b, 1) });
  }
  const unexpected = [...ckpt.tensors.keys()].filter((k) => !template.slots.has(k));
  if (missing.length || mismatched.length || unexpected.length) {
    const parts = [
      missing.length ? `${missing.length} tensors missing (e.g. ${missing[0]})` : '',
      unexpected.length ? `${unexpected.length} unexpected (e.g. ${unexpected[0]})` : '',
      mismatched.length
        ? `${mismatched.length} with another shape (e.g. ${mismatched[0]!.name}: [${mismatched[0]!.got}] instead of [${mismatched[0]!.expected}])`
        : '',
    ].filter(Boolean);
    throw checkpointError(
      'wrong-architecture',
      ckpt.file,
      `is not the expected architecture: ${parts.join('; ')}`,
      {
        expectedTensors: template.slots.size,
        foundTensors: ckpt.tensors.size,
        missing: missing.slice(0, LIST_LIMIT),
        unexpected: unexpected.slice(0, LIST_LIMIT),
        mismatched: mismatched.slice(0, LIST_LIMIT),
      },
    );
  }
  for (const p of placements) checkTensor(ckpt, p);
  return placements;
}

function checkTensor(ckpt: TorchCheckpoint, { slot, tensor, numel }: Placement): void {
  const { storage } = tensor;
  const fail = (why: string): never => {
    throw checkpointError('unsupported-tensor', ckpt.file, `tensor ${slot.name} ${why}`, {
      tensor: slot.name,
      dtype: storage.dtype,
    });
  };
  if (slot.dataType !== ONNX_FLOAT) {
    throw checkpointError(
      'template-invalid',
      ckpt.file,
      `template slot ${slot.name} is not float32`,
    );
  }
  if (!CONVERTIBLE.has(storage.dtype)) {
    fail(`is ${storage.dtype}; only float32, float16 and float64 convert`);
  }
  let expected = 1;
  for (let i = tensor.shape.length - 1; i >= 0; i--) {
    if (tensor.shape[i]! > 1 && tensor.stride[i] !== expected) fail('is not contiguous');
    expected *= tensor.shape[i]!;
  }
  if (tensor.offset + numel > storage.numel) {
    fail(`reaches past its storage (${storage.numel} elements)`);
  }
  const entry = ckpt.archive.entries.find((e) => e.name === storage.entry);
  const entrySize = entry?.size;
  if (entrySize === undefined) {
    throw checkpointError('truncated', ckpt.file, `has no storage entry ${storage.entry}`, {
      entry: storage.entry,
    });
  }
  if (entrySize < storage.numel * storage.itemBytes) {
    throw checkpointError(
      'truncated',
      ckpt.file,
      `storage ${storage.entry} holds ${entrySize} bytes, ${storage.numel * storage.itemBytes} needed`,
      {
        entry: storage.entry,
      },
    );
  }
  // Sizes are declared by the file: a storage must really be there before memory is set aside
  // for it (torch stores weights uncompressed; weights never deflate by MAX_INFLATION).
  const needed = storage.numel * storage.itemBytes;
  if (entry!.storedBytes * MAX_INFLATION < needed) {
    throw checkpointError(
      'truncated',
      ckpt.file,
      `storage ${storage.entry} declares ${needed} bytes but takes ${entry!.storedBytes} in the file`,
      { entry: storage.entry, declared: needed, stored: entry!.storedBytes },
    );
  }
}

/** Most a storage's bytes may exceed what it takes in the file (deflate of real weights). */
const MAX_INFLATION = 4;

export async function writeFilledModel(
  template: OnnxTemplate,
  ckpt: TorchCheckpoint,
  outFile: string,
  onProgress?: (p: FillProgress) => void,
): Promise<{ sha256: string; bytes: number }> {
  const placements = matchTensors(template, ckpt);
  const byStorage = new Map<string, Placement[]>();
  for (const p of placements) {
    const key = p.tensor.storage.entry;
    byStorage.set(key, [...(byStorage.get(key) ?? []), p]);
  }
  const graphBytes =
    template.graphFields.length +
    placements.reduce(
      (sum, p) =>
        sum + lenFieldSize(INITIALIZER_FIELD, slotFraming(p.slot, p.numel * 4).tensorBytes),
      0,
    );
  const bytesTotal = template.modelFields.length + lenFieldSize(GRAPH_FIELD, graphBytes);

  const partial = `${outFile}.partial`;
  const fh = await open(partial, 'w');
  const hash = createHash('sha256');
  let bytesWritten = 0;
  const write = async (chunk: Uint8Array): Promise<void> => {
    hash.update(chunk);
    await fh.write(chunk);
    bytesWritten += chunk.length;
    onProgress?.({ bytesWritten, bytesTotal });
  };
  try {
    await write(template.modelFields);
    await write(lenFieldHead(GRAPH_FIELD, graphBytes));
    await write(template.graphFields);
    for (const entry of ckpt.archive.entries) {
      const users = byStorage.get(entry.name);
      if (users) await writeStorage(ckpt, users, write);
    }
  } catch (error) {
    await fh.close();
    await rm(partial, { force: true });
    throw error;
  }
  await fh.close();
  if (bytesWritten !== bytesTotal) {
    throw new Error(`model.onnx size ${bytesWritten} ≠ planned ${bytesTotal}`);
  }
  await rename(partial, outFile);
  return { sha256: hash.digest('hex'), bytes: bytesWritten };
}

async function writeStorage(
  ckpt: TorchCheckpoint,
  users: Placement[],
  write: (b: Uint8Array) => Promise<void>,
): Promise<void> {
  const storage = users[0]!.tensor.storage;
  const whole =
    users.length === 1 &&
    storage.dtype === 'float32' &&
    users[0]!.tensor.offset === 0 &&
    users[0]!.numel === storage.numel;
  if (whole) {
    // The common case: pipe the entry's bytes straight through.
    await write(slotFraming(users[0]!.slot, storage.numel * 4).head);
    let left = storage.numel * 4;
    for await (const chunk of await ckpt.archive.stream(storage.entry)) {
      const piece = (chunk as Buffer).subarray(0, left);
      if (piece.length) await write(piece);
      left -= piece.length;
    }
    if (left > 0) throw shortStorage(ckpt, storage);
    return;
  }
  const data = await readStorage(ckpt, storage);
  for (const { slot, tensor, numel } of users) {
    await write(slotFraming(slot, numel * 4).head);
    await write(toFloat32Bytes(data, storage, tensor.offset, numel));
  }
}

async function readStorage(ckpt: TorchCheckpoint, storage: StorageRef): Promise<Buffer> {
  const bytes = storage.numel * storage.itemBytes;
  const out = Buffer.alloc(bytes);
  let at = 0;
  for await (const chunk of await ckpt.archive.stream(storage.entry)) {
    const c = chunk as Buffer;
    at += c.copy(out, at, 0, Math.min(c.length, bytes - at));
  }
  if (at < bytes) throw shortStorage(ckpt, storage);
  return out;
}

function shortStorage(ckpt: TorchCheckpoint, storage: StorageRef): Error {
  return checkpointError('truncated', ckpt.file, `storage ${storage.entry} ends early`, {
    entry: storage.entry,
  });
}

function toFloat32Bytes(
  data: Buffer,
  storage: StorageRef,
  offset: number,
  numel: number,
): Uint8Array {
  const item = storage.itemBytes;
  if (storage.dtype === 'float32') return data.subarray(offset * 4, (offset + numel) * 4);
  const aligned = new Uint8Array(data.subarray(offset * item, (offset + numel) * item)).buffer; // a copy at offset 0
  const out =
    storage.dtype === 'float64'
      ? Float32Array.from(new Float64Array(aligned))
      : decodeHalves(new Uint16Array(aligned));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
