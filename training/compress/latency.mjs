// Per-image latency of model packages on the workstation's CPU engines, for the model cards.
//
//   node training/compress/latency.mjs <runs> <package folder>...
//
// Each package's model.onnx at its manifest's input size, on onnxruntime-node with 1 and 2
// intra-op threads and on onnxruntime-web's WASM backend (1 thread, as the renderer's worker
// without cross-origin isolation); the packages are interleaved run by run, so a change of
// load on a shared machine hits them alike. Prints one JSON line per engine and package:
// median, fastest and 90th-percentile milliseconds over <runs> runs after 5 warm-up runs,
// with the 1/5/15-minute load averages at the end of the measurement.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import ortNode from 'onnxruntime-node';
import ortWeb from 'onnxruntime-web';

const [runs, ...folders] = [Number(process.argv[2]), ...process.argv.slice(3)];
ortWeb.env.wasm.numThreads = 1;
const engines = (process.env.ENGINES ?? 'node1,node2,wasm1').split(',');

function input(ort, size) {
  const data = new Float32Array(size * size).map((_, i) => Math.sin(i * 0.001) * 1.5);
  return new ort.Tensor('float32', data, [1, 1, size, size]);
}

async function open(engine, folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  const bytes = readFileSync(join(folder, 'model.onnx'));
  const ort = engine === 'wasm1' ? ortWeb : ortNode;
  const options =
    engine === 'wasm1'
      ? { executionProviders: ['wasm'] }
      : { executionProviders: ['cpu'], intraOpNumThreads: Number(engine.slice(4)), interOpNumThreads: 1 };
  const session = await ort.InferenceSession.create(bytes, options);
  const feeds = { [manifest.input.name]: input(ort, manifest.input.height) };
  return { label: `${manifest.id} ${manifest.version}`, size: manifest.input.height, session, feeds, times: [] };
}

for (const engine of engines) {
  const models = [];
  for (const folder of folders) models.push(await open(engine, folder));
  for (let warm = 0; warm < 5; warm++) for (const m of models) await m.session.run(m.feeds);
  for (let r = 0; r < runs; r++)
    for (const m of models) {
      const started = performance.now();
      await m.session.run(m.feeds);
      m.times.push(performance.now() - started);
    }
  const load = loadavg().map((x) => x.toFixed(2)).join(' ');
  for (const m of models) {
    const t = m.times.sort((a, b) => a - b);
    const at = (q) => +t[Math.min(t.length - 1, Math.floor(t.length * q))].toFixed(1);
    console.log(JSON.stringify({ engine, model: m.label, size: m.size, median_ms: at(0.5), min_ms: at(0), p90_ms: at(0.9), runs, load }));
    await m.session.release();
  }
}
