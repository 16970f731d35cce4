/** Median wall time of a synchronous piece of work, after one warm-up run (for the benchmarks). */
export function medianMs(run: () => void, repeats: number): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
