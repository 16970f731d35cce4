/**
 * The batch journal: one JSON line per finished image, appended and flushed to disk only
 * after the image's outputs are in place. A batch killed at any moment resumes from it
 * without redoing finished images; an image cut off mid-way has no line and is redone.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface JournalLine {
  key: string;
  input: string;
  status: 'done' | 'failed';
  code?: string;
  message?: string;
  outputs?: string;
  /** Per-model results, for the summary. */
  results?: unknown[];
}

export class BatchJournal {
  private readonly done = new Map<string, JournalLine>();
  private readonly fd: number;

  constructor(readonly path: string) {
    if (existsSync(path)) {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as JournalLine;
          this.done.set(entry.key, entry);
        } catch {
          // A line torn by a crash mid-write: that image is simply redone.
        }
      }
    }
    this.fd = openSync(path, 'a');
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  get entries(): JournalLine[] {
    return [...this.done.values()];
  }

  record(entry: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd);
    this.done.set(entry.key, entry);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * One image's view of the journal in a pipelined batch: its lines wait until `flush`, which
 * the batch calls in input order, so the journal (and the summary made from it) lists images
 * in the order given whatever finished first. `has` also answers true for a key another image
 * in flight has already taken, so an input given twice is analysed once, as when one ran after
 * the other.
 */
export interface JournalView {
  has(key: string): boolean;
  record(entry: JournalLine): void;
  flush(): void;
}

export function journalViews(journal: BatchJournal): () => JournalView {
  const taken = new Set<string>();
  return () => {
    const waiting: JournalLine[] = [];
    const mine: string[] = [];
    return {
      has(key) {
        if (journal.has(key) || taken.has(key)) return true;
        taken.add(key);
        mine.push(key);
        return false;
      },
      record: (entry) => void waiting.push(entry),
      flush() {
        for (const entry of waiting.splice(0)) journal.record(entry);
        for (const key of mine.splice(0)) taken.delete(key);
      },
    };
  };
}
