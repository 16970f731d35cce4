/**
 * A bounded, ordered pipeline for batches: each item is started as soon as it comes, with at
 * most `depth` items started and not yet finished, and `finish` sees the results in the
 * items' order. While one image waits for the inference worker, the next is decoded and
 * pre-processed and the previous one's maps are measured and written, so both cores stay busy;
 * the depth bounds how many decoded frames and maps are held at once (memory), and finishing in
 * order keeps the journal and the summary in input order whatever finished first.
 */
export async function orderedPipeline<T, R>(
  items: AsyncIterable<T> | Iterable<T>,
  depth: number,
  start: (item: T) => Promise<R>,
  finish: (result: R, item: T) => void | Promise<void>,
): Promise<void> {
  if (!(depth >= 1)) throw new RangeError(`pipeline depth must be at least 1 (got ${depth})`);
  const inFlight: { item: T; result: Promise<R> }[] = [];
  const finishHead = async () => {
    const head = inFlight.shift()!;
    await finish(await head.result, head.item);
  };
  try {
    for await (const item of items) {
      if (inFlight.length >= depth) await finishHead();
      const result = start(item);
      result.catch(() => undefined); // awaited in order below; not unhandled meanwhile
      inFlight.push({ item, result });
    }
    while (inFlight.length) await finishHead();
  } finally {
    // On an error, the items still running are left to settle; their results are not used.
    inFlight.length = 0;
  }
}
