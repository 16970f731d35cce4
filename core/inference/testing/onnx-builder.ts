/**
 * A minimal ONNX (protobuf) writer for test fixtures: tests build tiny models whose right
 * answer is known by construction, without a training framework. Field numbers are those
 * of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */
class ProtoWriter {
  private readonly parts: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v) byte |= 0x80;
      this.parts.push(byte);
    } while (v);
    return this;
  }

  key(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    return this.key(field, 0).varint(value);
  }

  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2).varint(data.length);
    for (const b of data) this.parts.push(b);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(new Float32Array([value]).buffer);
    for (const x of b) this.parts.push(x);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, number | number[]>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  values: ArrayLike<number>;
}

export interface OnnxGraph {
  inputs: Array<{ name: string; dims: Array<number | string> }>;
  outputs: Array<{ name: string; dims: Array<number | string> }>;
  initializers: OnnxTensor[];
  nodes: OnnxNode[];
}

const FLOAT = 1;

function valueInfo(
  w: ProtoWriter,
  field: number,
  value: { name: string; dims: Array<number | string> },
): void {
  w.message(field, (v) =>
    v.string(1, value.name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, FLOAT).message(2, (shape) => {
          for (const d of value.dims)
            shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    ),
  );
}

export function buildOnnxModel(graph: OnnxGraph, opset = 17): Uint8Array {
  const model = new ProtoWriter();
  model.int(1, 8); // ir_version 8
  model.string(2, 'neoscope-test-fixture');
  model.message(8, (o) => o.string(1, '').int(2, opset));
  model.message(7, (g) => {
    graph.nodes.forEach((node, i) =>
      g.message(1, (n) => {
        node.inputs.forEach((x) => n.string(1, x));
        node.outputs.forEach((x) => n.string(2, x));
        n.string(3, `${node.op}_${i}`).string(4, node.op);
        for (const [name, value] of Object.entries(node.attributes ?? {})) {
          n.message(5, (a) => {
            a.string(1, name);
            if (Array.isArray(value)) {
              a.int(20, 7); // INTS
              value.forEach((v) => a.int(8, v));
            } else if (Number.isInteger(value)) a.int(20, 2).int(3, value);
            else a.int(20, 1).float(2, value);
          });
        }
      }),
    );
    g.string(2, 'fixture');
    for (const tensor of graph.initializers) {
      g.message(5, (t) => {
        tensor.dims.forEach((d) => t.int(1, d));
        t.int(2, FLOAT)
          .string(8, tensor.name)
          .bytes(9, new Uint8Array(Float32Array.from(tensor.values).buffer));
      });
    }
    graph.inputs.forEach((x) => valueInfo(g, 11, x));
    graph.outputs.forEach((x) => valueInfo(g, 12, x));
  });
  return model.finish();
}

/**
 * A classifier that responds only to brightness in the top-left quadrant of a 1×1×S×S
 * image: features = ReLU(x · mask_TL), probability = sigmoid(w · GAP(features) + b).
 * It also outputs `features` (its last feature map) for CAM, with head weight `w`.
 */
export function quadrantDetectorModel(
  size = 32,
  weight = 8,
  bias = -1,
): { bytes: Uint8Array; headWeight: number; headBias: number } {
  const mask = new Float32Array(size * size);
  for (let y = 0; y < size / 2; y++) for (let x = 0; x < size / 2; x++) mask[y * size + x] = 1;
  const bytes = buildOnnxModel({
    // A symbolic batch dimension lets saliency methods run many perturbed images at once.
    inputs: [{ name: 'image', dims: ['batch', 1, size, size] }],
    outputs: [
      { name: 'probability', dims: ['batch', 1] },
      { name: 'features', dims: ['batch', 1, size, size] },
    ],
    initializers: [
      { name: 'mask', dims: [1, 1, size, size], values: mask },
      { name: 'head_w', dims: [1, 1], values: [weight] },
      { name: 'head_b', dims: [1], values: [bias] },
    ],
    nodes: [
      { op: 'Mul', inputs: ['image', 'mask'], outputs: ['masked'] },
      { op: 'Relu', inputs: ['masked'], outputs: ['features'] },
      { op: 'GlobalAveragePool', inputs: ['features'], outputs: ['pooled'] },
      { op: 'Flatten', inputs: ['pooled'], outputs: ['flat'], attributes: { axis: 1 } },
      { op: 'Gemm', inputs: ['flat', 'head_w', 'head_b'], outputs: ['logit'] },
      { op: 'Sigmoid', inputs: ['logit'], outputs: ['probability'] },
    ],
  });
  return { bytes, headWeight: weight, headBias: bias };
}

/** A "segmenter" whose probability map is sigmoid(k · (x − 0.5)) per pixel: bright pixels are foreground. */
export function thresholdSegmenterModel(size = 32, gain = 10): Uint8Array {
  return buildOnnxModel({
    inputs: [{ name: 'image', dims: ['batch', 1, size, size] }],
    outputs: [{ name: 'probability_map', dims: ['batch', 1, size, size] }],
    initializers: [
      { name: 'half', dims: [1], values: [0.5] },
      { name: 'gain', dims: [1], values: [gain] },
    ],
    nodes: [
      { op: 'Sub', inputs: ['image', 'half'], outputs: ['centred'] },
      { op: 'Mul', inputs: ['centred', 'gain'], outputs: ['logit'] },
      { op: 'Sigmoid', inputs: ['logit'], outputs: ['probability_map'] },
    ],
  });
}

/**
 * A compact CNN of realistic shape for benchmarks (random weights, seeded): 3×3
 * convolutions with stride 2 and ReLU, global average pooling, a linear head and sigmoid.
 * Its `features` output (the last feature maps) feeds CAM.
 */
export function benchmarkCnnModel(size = 256, width = 16, layers = 4, seed = 1): Uint8Array {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const initializers: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  let input = 'image';
  let channels = 1;
  for (let l = 0; l < layers; l++) {
    const out = l === layers - 1 ? 'features' : `act${l}`;
    const scale = Math.sqrt(2 / (channels * 9));
    initializers.push({
      name: `w${l}`,
      dims: [width, channels, 3, 3],
      values: Float32Array.from({ length: width * channels * 9 }, () => random() * 2 * scale),
    });
    initializers.push({ name: `b${l}`, dims: [width], values: new Float32Array(width) });
    nodes.push({
      op: 'Conv',
      inputs: [input, `w${l}`, `b${l}`],
      outputs: [`conv${l}`],
      attributes: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] },
    });
    nodes.push({ op: 'Relu', inputs: [`conv${l}`], outputs: [out] });
    input = out;
    channels = width;
  }
  initializers.push({
    name: 'head_w',
    dims: [width, 1],
    values: Float32Array.from({ length: width }, () => random()),
  });
  initializers.push({ name: 'head_b', dims: [1], values: [0] });
  nodes.push({ op: 'GlobalAveragePool', inputs: ['features'], outputs: ['pooled'] });
  nodes.push({ op: 'Flatten', inputs: ['pooled'], outputs: ['flat'], attributes: { axis: 1 } });
  nodes.push({ op: 'Gemm', inputs: ['flat', 'head_w', 'head_b'], outputs: ['logit'] });
  nodes.push({ op: 'Sigmoid', inputs: ['logit'], outputs: ['probability'] });
  const featureSize = size / 2 ** layers;
  return buildOnnxModel({
    inputs: [{ name: 'image', dims: ['batch', 1, size, size] }],
    outputs: [
      { name: 'probability', dims: ['batch', 1] },
      { name: 'features', dims: ['batch', width, featureSize, featureSize] },
    ],
    initializers,
    nodes,
  });
}
