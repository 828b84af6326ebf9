/**
 * Writes small ONNX models for tests, straight to protobuf bytes, so unit tests can make a model
 * with known weights without Python. Only the fields tests need (onnx.proto field numbers).
 */

class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private varint(value: number): void {
    const bytes: number[] = [];
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Buffer.from(bytes));
  }

  int(field: number, value: number): this {
    this.varint((field << 3) | 0);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Buffer | Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(value.length);
    this.parts.push(Buffer.from(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const FLOAT = 1;
const INT64 = 7;

export interface TensorInit {
  name: string;
  dims: number[];
  floats?: Float32Array;
  int64s?: number[];
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}

export interface GraphSpec {
  input: { name: string; dims: (number | string)[] };
  output: { name: string; dims: (number | string)[] };
  nodes: NodeSpec[];
  initializers: TensorInit[];
  opset?: number;
}

function valueInfo(
  w: ProtoWriter,
  field: number,
  info: { name: string; dims: (number | string)[] },
): void {
  w.message(field, (vi) => {
    vi.string(1, info.name);
    vi.message(2, (type) =>
      type.message(1, (tensor) => {
        tensor.int(1, FLOAT);
        tensor.message(2, (shape) => {
          for (const dim of info.dims) {
            shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
          }
        });
      }),
    );
  });
}

export function writeOnnxModel(spec: GraphSpec): Buffer {
  const model = new ProtoWriter();
  model.int(1, 8); // ir_version
  model.string(2, 'anytag-tests');
  model.message(7, (graph) => {
    for (const node of spec.nodes) {
      graph.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) {
          n.message(5, (a) => {
            a.string(1, name);
            if (Array.isArray(value)) {
              for (const v of value) a.int(8, v);
              a.int(20, 7); // INTS
            } else {
              a.int(3, value);
              a.int(20, 2); // INT
            }
          });
        }
      });
    }
    graph.string(2, 'g');
    for (const init of spec.initializers) {
      graph.message(5, (t) => {
        for (const dim of init.dims) t.int(1, dim);
        if (init.floats) {
          t.int(2, FLOAT);
          t.string(8, init.name);
          t.bytes(
            9,
            Buffer.from(init.floats.buffer, init.floats.byteOffset, init.floats.byteLength),
          );
        } else {
          t.int(2, INT64);
          t.string(8, init.name);
          const raw = Buffer.alloc(8 * (init.int64s?.length ?? 0));
          init.int64s?.forEach((v, i) => raw.writeBigInt64LE(BigInt(v), i * 8));
          t.bytes(9, raw);
        }
      });
    }
    valueInfo(graph, 11, spec.input);
    valueInfo(graph, 12, spec.output);
  });
  model.message(8, (opset) => opset.int(2, spec.opset ?? 17));
  return model.finish();
}
