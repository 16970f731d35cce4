// Runs one ONNX model with onnxruntime-node (or onnxruntime-web's WASM backend) for
// training/compress/ort_node.py: the held-out numbers of a package are then measured by the
// runtimes the workstation uses, not by PyTorch.
// argv: <model.onnx> <intra-op threads> [node|wasm]. Protocol on stdin/stdout, little-endian: a request is
// int32 n, c, h, w then n*c*h*w float32; the reply is the first output the same way.
import { readFileSync } from 'node:fs';

const [modelPath, threads = '1', engine = 'node'] = process.argv.slice(2);
const ort = (await import(engine === 'wasm' ? 'onnxruntime-web' : 'onnxruntime-node')).default;
let session;
if (engine === 'wasm') {
  ort.env.wasm.numThreads = Number(threads);
  session = await ort.InferenceSession.create(readFileSync(modelPath), { executionProviders: ['wasm'] });
} else {
  session = await ort.InferenceSession.create(readFileSync(modelPath), {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
  });
}

let pending = Buffer.alloc(0);
let busy = Promise.resolve();

async function answer(dims, data) {
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, dims) });
  const out = result[session.outputNames[0]];
  const shape = [1, 1, 1, 1].concat(out.dims).slice(-4);
  const head = Buffer.alloc(16);
  shape.forEach((d, i) => head.writeInt32LE(Number(d), i * 4));
  const body = Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  await new Promise((resolve) => process.stdout.write(Buffer.concat([head, body]), resolve));
}

process.stdin.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  for (;;) {
    if (pending.length < 16) return;
    const dims = [0, 1, 2, 3].map((i) => pending.readInt32LE(i * 4));
    const bytes = dims.reduce((a, b) => a * b, 1) * 4;
    if (pending.length < 16 + bytes) return;
    const data = new Float32Array(pending.buffer.slice(pending.byteOffset + 16, pending.byteOffset + 16 + bytes));
    pending = pending.subarray(16 + bytes);
    busy = busy.then(() => answer(dims, data));
  }
});
