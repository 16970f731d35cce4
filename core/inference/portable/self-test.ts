/**
 * Runs a package's self-test vectors on a session, wherever it runs (Node or the page):
 * returns undefined when every expected value is reproduced within tolerance, else the
 * first mismatch in words.
 */
import type { ModelSession } from './engine.ts';
import { generateInput, type ModelManifest } from './package-schema.ts';

export async function runSelfTests(
  manifest: ModelManifest,
  session: ModelSession,
): Promise<string | undefined> {
  const { channels, height, width, name } = manifest.input;
  for (const [index, vector] of manifest.selfTest.entries()) {
    const data = generateInput(vector.input, channels, height, width);
    const outputs = await session.run({ [name]: { dims: [1, channels, height, width], data } });
    for (const expectation of vector.expect) {
      const actual = outputs[expectation.output];
      if (!actual)
        return `self-test ${index + 1}: the model produced no output "${expectation.output}"`;
      const mismatch = (label: string, got: number, want: number) =>
        Math.abs(got - want) <= expectation.tolerance
          ? undefined
          : `self-test ${index + 1} (${vector.input.generator}): ${expectation.output}${label} = ${got.toPrecision(6)}, expected ${want} ± ${expectation.tolerance}`;
      for (const [i, want] of (expectation.values ?? []).entries()) {
        const problem = mismatch(`[${i}]`, actual.data[i]!, want);
        if (problem) return problem;
      }
      if (expectation.mean !== undefined) {
        const problem = mismatch(
          ' mean',
          actual.data.reduce((a, b) => a + b, 0) / actual.data.length,
          expectation.mean,
        );
        if (problem) return problem;
      }
    }
  }
  return undefined;
}
