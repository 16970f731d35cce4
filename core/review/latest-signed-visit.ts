/** The latest signed ROP visit among a patient's signed reports: what sets the next due date. */
import type { SignedReport } from '../reports/signed-reports.ts';
import type { LatestSignedVisit } from './screening-status.ts';

export function latestSignedVisit(reports: SignedReport[]): LatestSignedVisit | undefined {
  const visits = reports
    .filter(
      (r) => r.content.domain === 'retina' && r.content.assessment && r.content.clinical?.examDate,
    )
    .sort((a, b) => b.content.clinical!.examDate!.localeCompare(a.content.clinical!.examDate!));
  const latest = visits[0]?.content;
  if (!latest) return undefined;
  const a = latest.assessment!;
  return {
    examDate: latest.clinical!.examDate!,
    ...(a.nextExamDate ? { nextExamDate: a.nextExamDate } : {}),
    followUpLabel: a.followUp.label,
    discharge: a.followUp.discharge,
  };
}
