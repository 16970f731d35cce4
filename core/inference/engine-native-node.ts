/**
 * The optional faster headless backend: onnxruntime-node (native CPU runtime). It is an
 * optional dependency; where it is missing, engine-choice.ts says so and uses WASM.
 */
import { wrapOrtSession } from './ort-session.ts';
import type { InferenceEngine } from './portable/engine.ts';

// Typed by onnxruntime-common (installed with onnxruntime-web), so the project type-checks
// on machines where the optional onnxruntime-node was left out.
type OrtNode = Pick<typeof import('onnxruntime-common'), 'InferenceSession' | 'Tensor'>;
/** A variable, not a literal: TypeScript then does not require the optional package's types. */
const OPTIONAL_PACKAGE: string = 'onnxruntime-node';

export async function createNativeNodeEngine(threads = 1): Promise<InferenceEngine> {
  let ort: OrtNode;
  try {
    ort = (await import(OPTIONAL_PACKAGE)) as OrtNode;
  } catch (error) {
    throw new Error(
      `onnxruntime-node is not installed (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return {
    backend: 'node',
    async createSession(model) {
      const session = await ort.InferenceSession.create(model, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
      });
      return wrapOrtSession(session, 'node', ort.Tensor);
    },
  };
}
