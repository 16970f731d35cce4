/**
 * What the models that ran on an exam said, kept with its draft: one row per report and model
 * version (id@version), replaced when that model runs on the exam again. The worklist reads
 * from it which exams have been analysed; the report panel shows the notes.
 */
import type { Database } from '../store/database.ts';

export interface ModelRun {
  /** id@version */
  model: string;
  notes: string[];
}

export class AnalysisStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records one "Run AI measurements": each model's notes, with the notes of no single model. */
  record(reportId: string, runNotes: ReadonlyMap<string, string[]>, general: string[]): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const [model, notes] of runNotes)
        this.db.run(
          'INSERT OR REPLACE INTO analyses (report_id, model, at, notes_json) VALUES (?, ?, ?, ?)',
          [reportId, model, at, JSON.stringify([...notes, ...general])],
        );
    });
  }

  /** The runs recorded for a report, by model. */
  ofReport(reportId: string): ModelRun[] {
    return this.db
      .all('SELECT model, notes_json FROM analyses WHERE report_id = ? ORDER BY model', [reportId])
      .map((row) => ({
        model: String(row.model),
        notes: JSON.parse(String(row.notes_json)) as string[],
      }));
  }

  /** Every report a model has run on. */
  analysedReports(): Set<string> {
    return new Set(
      this.db.all('SELECT DISTINCT report_id FROM analyses').map((row) => String(row.report_id)),
    );
  }
}
