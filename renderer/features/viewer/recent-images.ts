/**
 * The last few images a viewport drew, least recently used first out: going back to one
 * (the previous film on the worklist, the other colour view) draws it at once, without
 * fetching the frame and building its display levels again. An instance id is the SHA-256
 * of the file, so a frame kept under it cannot go stale.
 */
export interface RecentImages<T> {
  get(key: string): T | undefined;
  remember(key: string, value: T): void;
}

export function recentImages<T>(capacity: number): RecentImages<T> {
  const entries = new Map<string, T>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    remember(key, value) {
      entries.delete(key);
      entries.set(key, value);
      for (const oldest of entries.keys()) {
        if (entries.size <= capacity) break;
        entries.delete(oldest);
      }
    },
  };
}
