/** What every layout is given: the library, the exams (for PMA), and how to draw the AI overlay. */
import type { OperationResult } from '../../../core/api/contract.ts';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import type { ColourView } from '../viewer/display-modes.ts';
import type { HeatMap } from '../viewer/heat-overlay.ts';
import type { OverlayDisplay } from '../viewer/Viewport.tsx';

export type ExamEntry = OperationResult<'worklist.exams'>['exams'][number];

export interface LayoutProps {
  open: InstanceSummary;
  instances: InstanceSummary[];
  exams: ExamEntry[];
  onError(error: { message: string; code?: string; file?: string }): void;
  /** The AI map of an analysed image, by image. */
  overlayFor(instanceId: string): HeatMap | undefined;
  overlayDisplay: OverlayDisplay;
  highlight?: { x: number; y: number; width: number; height: number };
  colourView: ColourView;
  onReportChanged(): void;
}

/** DICOM YYYYMMDD as YYYY-MM-DD; `missing` when there is no date. */
export function formatDate(dicomDate: string, missing = 'undated'): string {
  return /^\d{8}$/.test(dicomDate)
    ? `${dicomDate.slice(0, 4)}-${dicomDate.slice(4, 6)}-${dicomDate.slice(6)}`
    : dicomDate || missing;
}

/** "2011-01-01 · PMA 32+3 weeks" for an image, PMA where the infant's GA is recorded. */
export function dateAndPma(instance: InstanceSummary, exams: ExamEntry[]): string {
  const exam = exams.find((e) => e.instanceIds.includes(instance.instanceId));
  return `${formatDate(instance.studyDate)}${exam?.pma ? ` · PMA ${exam.pma}` : ''}`;
}
