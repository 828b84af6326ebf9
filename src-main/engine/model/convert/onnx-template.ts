/**
 * Just enough protobuf to fill an ONNX template: split ModelProto into its graph and the rest,
 * split GraphProto into weight *slots* (initializers with dims but no data) and everything else
 * (kept byte for byte), and frame a TensorProto again with its raw_data appended.
 *
 * Field numbers (onnx.proto3): ModelProto.graph = 7; GraphProto.initializer = 5;
 * TensorProto.dims = 1, data_type = 2, float_data = 4, int32_data = 5, string_data = 6,
 * int64_data = 7, name = 8, raw_data = 9, double_data = 10, uint64_data = 11,
 * external_data = 13, data_location = 14.
 */

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR = {
  dims: 1,
  dataType: 2,
  name: 8,
  rawData: 9,
  dataFields: [4, 5, 6, 7, 9, 10, 11, 13],
} as const;
export const ONNX_FLOAT = 1;

export interface PbField {
  no: number;
  wire: number;
  start: number; // first byte of the tag
  valueStart: number; // for LEN: first payload byte; for VARINT: first varint byte
  end: number; // one past the field
  varint: number; // VARINT value (0 otherwise)
}

export class ProtobufError extends Error {}

export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufError('a varint runs past the end');
    const b = buf[pos++]!;
    value += (b & 0x7f) * scale;
    if (!(b & 0x80)) return [value, pos];
    scale *= 128;
  }
  throw new ProtobufError('a varint is longer than 10 bytes');
}

export function encodeVarint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}

export function readFields(buf: Uint8Array, from = 0, to = buf.length): PbField[] {
  const fields: PbField[] = [];
  let pos = from;
  while (pos < to) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    let valueStart = afterTag;
    let end: number;
    let varint = 0;
    if (wire === WIRE_VARINT) [varint, end] = readVarint(buf, afterTag);
    else if (wire === WIRE_I64) end = afterTag + 8;
    else if (wire === WIRE_I32) end = afterTag + 4;
    else if (wire === WIRE_LEN) {
      const [len, p] = readVarint(buf, afterTag);
      valueStart = p;
      end = p + len;
    } else throw new ProtobufError(`unsupported wire type ${wire} at byte ${start}`);
    if (no === 0 || end > to) {
      throw new ProtobufError(`a field runs past its message at byte ${start}`);
    }
    fields.push({ no, wire, start, valueStart, end, varint });
    pos = end;
  }
  return fields;
}

export interface TemplateSlot {
  name: string;
  dims: number[];
  dataType: number;
  /** The TensorProto's fields except any data field, to be framed again with raw_data. */
  header: Buffer;
}

export interface OnnxTemplate {
  modelFields: Buffer; // ModelProto without its graph
  graphFields: Buffer; // GraphProto without the slots (nodes, io, constants, …)
  slots: Map<string, TemplateSlot>;
}

export function parseTemplate(bytes: Buffer): OnnxTemplate {
  const modelParts: Buffer[] = [];
  let graph: PbField | undefined;
  for (const f of readFields(bytes)) {
    if (f.no === MODEL_GRAPH && f.wire === WIRE_LEN) graph = f;
    else modelParts.push(bytes.subarray(f.start, f.end));
  }
  if (!graph) throw new ProtobufError('the template has no graph');
  const graphParts: Buffer[] = [];
  const slots = new Map<string, TemplateSlot>();
  for (const f of readFields(bytes, graph.valueStart, graph.end)) {
    const slot = f.no === GRAPH_INITIALIZER && f.wire === WIRE_LEN ? readSlot(bytes, f) : undefined;
    if (slot) slots.set(slot.name, slot);
    else graphParts.push(bytes.subarray(f.start, f.end));
  }
  return { modelFields: Buffer.concat(modelParts), graphFields: Buffer.concat(graphParts), slots };
}

/** An initializer with no data field (or an empty raw_data) is a slot; others are constants. */
function readSlot(bytes: Buffer, tensor: PbField): TemplateSlot | undefined {
  const dims: number[] = [];
  let name = '';
  let dataType = 0;
  let hasData = false;
  const header: Buffer[] = [];
  for (const f of readFields(bytes, tensor.valueStart, tensor.end)) {
    if (f.no === TENSOR.dims && f.wire === WIRE_VARINT) dims.push(f.varint);
    else if (f.no === TENSOR.dims && f.wire === WIRE_LEN) {
      for (let p = f.valueStart; p < f.end;) {
        const [d, next] = readVarint(bytes, p);
        dims.push(d);
        p = next;
      }
    } else if (f.no === TENSOR.dataType) dataType = f.varint;
    else if (f.no === TENSOR.name) name = bytes.toString('utf8', f.valueStart, f.end);
    if ((TENSOR.dataFields as readonly number[]).includes(f.no)) {
      hasData ||= f.end > f.valueStart;
      continue;
    }
    header.push(bytes.subarray(f.start, f.end));
  }
  return hasData ? undefined : { name, dims, dataType, header: Buffer.concat(header) };
}

/** Bytes of a LEN field framing `payloadBytes` bytes. */
export function lenFieldSize(no: number, payloadBytes: number): number {
  return encodeVarint(no * 8 + WIRE_LEN).length + encodeVarint(payloadBytes).length + payloadBytes;
}

export function lenFieldHead(no: number, payloadBytes: number): Buffer {
  return Buffer.concat([encodeVarint(no * 8 + WIRE_LEN), encodeVarint(payloadBytes)]);
}

/** Size of a filled slot's TensorProto payload, and the bytes that precede its raw data. */
export function slotFraming(
  slot: TemplateSlot,
  rawBytes: number,
): { tensorBytes: number; head: Buffer } {
  const tensorBytes = slot.header.length + lenFieldSize(TENSOR.rawData, rawBytes);
  const head = Buffer.concat([
    lenFieldHead(GRAPH_INITIALIZER, tensorBytes),
    slot.header,
    lenFieldHead(TENSOR.rawData, rawBytes),
  ]);
  return { tensorBytes, head };
}

export const GRAPH_FIELD = MODEL_GRAPH;
export const INITIALIZER_FIELD = GRAPH_INITIALIZER;
