/**
 * Reads an ONNX model's layers and their weights (initializers) from the protobuf bytes and
 * writes copies with chosen layers re-initialised: what the model-randomisation test of a
 * saliency method needs (Adebayo et al., "Sanity checks for saliency maps", NeurIPS 2018).
 * Field numbers are those of onnx.proto: ModelProto.graph = 7; GraphProto.node = 1,
 * .initializer = 5; NodeProto.input = 1, .output = 2, .op_type = 4; TensorProto.dims = 1,
 * .data_type = 2, .name = 8, .raw_data = 9. Only float32 raw_data weights (what PyTorch's
 * exporter writes) are rewritten; the rewrite is in place, so every offset stays valid.
 */
import { seededRandom } from '../../base/seeded-random.ts';

interface Field {
  number: number;
  wireType: number;
  /** For length-delimited fields: where the payload starts and its length. */
  start: number;
  length: number;
  value: bigint;
}

function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  let at = start;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[at++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (at < end) {
    const key = Number(varint());
    const number = key >> 3;
    const wireType = key & 7;
    if (wireType === 0) {
      yield { number, wireType, start: at, length: 0, value: varint() };
      continue;
    }
    const length = wireType === 1 ? 8 : wireType === 5 ? 4 : wireType === 2 ? Number(varint()) : -1;
    if (length < 0)
      throw new Error(`ONNX protobuf: unsupported wire type ${wireType} at byte ${at}`);
    yield { number, wireType, start: at, length, value: 0n };
    at += length;
  }
}

const text = (bytes: Uint8Array, f: Field) =>
  new TextDecoder().decode(bytes.subarray(f.start, f.start + f.length));

export interface OnnxWeight {
  name: string;
  dims: number[];
  /** Byte offset and length of the float32 values (raw_data) in the model bytes. */
  offset: number;
  byteLength: number;
}

export interface OnnxLayer {
  op: string;
  /** The weights this node reads (e.g. a Conv's kernel and bias). */
  weights: string[];
}

export interface OnnxWeightsView {
  weights: Map<string, OnnxWeight>;
  /** Nodes with weights, in graph (topological) order: input side first. */
  layers: OnnxLayer[];
}

export function readOnnxWeights(model: Uint8Array): OnnxWeightsView {
  const graph = [...fields(model, 0, model.length)].find((f) => f.number === 7 && f.wireType === 2);
  if (!graph) throw new Error('ONNX protobuf: no graph');
  const weights = new Map<string, OnnxWeight>();
  const nodes: { op: string; inputs: string[] }[] = [];
  for (const f of fields(model, graph.start, graph.start + graph.length)) {
    if (f.wireType !== 2) continue;
    if (f.number === 5) {
      let name = '';
      let dataType = 0;
      const dims: number[] = [];
      let raw: Field | undefined;
      for (const t of fields(model, f.start, f.start + f.length)) {
        if (t.number === 8) name = text(model, t);
        else if (t.number === 2) dataType = Number(t.value);
        else if (t.number === 1 && t.wireType === 0) dims.push(Number(t.value));
        else if (t.number === 1 && t.wireType === 2)
          for (const d of fields(model, t.start, t.start + t.length)) dims.push(Number(d.value));
        else if (t.number === 9) raw = t;
      }
      if (dataType === 1 && raw)
        weights.set(name, { name, dims, offset: raw.start, byteLength: raw.length });
    } else if (f.number === 1) {
      const node = { op: '', inputs: [] as string[] };
      for (const n of fields(model, f.start, f.start + f.length)) {
        if (n.number === 1 && n.wireType === 2) node.inputs.push(text(model, n));
        else if (n.number === 4) node.op = text(model, n);
      }
      nodes.push(node);
    }
  }
  const layers = nodes
    .map((n) => ({ op: n.op, weights: n.inputs.filter((i) => weights.has(i)) }))
    .filter((l) => l.weights.length && /^(Conv|Gemm|MatMul|ConvTranspose)$/.test(l.op));
  return { weights, layers };
}

/** The float32 values of one weight (a copy). */
export function weightValues(model: Uint8Array, weight: OnnxWeight): Float32Array {
  return new Float32Array(model.slice(weight.offset, weight.offset + weight.byteLength).buffer);
}

/**
 * A copy of the model with the named weights replaced by Gaussian noise of the same mean and
 * standard deviation as the trained values (so activations stay in range and only the
 * learned structure is destroyed).
 */
export function randomiseWeights(
  model: Uint8Array,
  view: OnnxWeightsView,
  names: Iterable<string>,
  seed: number,
): Uint8Array {
  const out = model.slice();
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (const name of names) {
    const weight = view.weights.get(name);
    if (!weight) throw new Error(`no float32 weight named ${name}`);
    const values = weightValues(model, weight);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 0.01;
    const noise = Float32Array.from(values, () => mean + std * gaussian());
    out.set(new Uint8Array(noise.buffer), weight.offset);
  }
  return out;
}
