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
