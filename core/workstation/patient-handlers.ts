/**
 * Handlers for the infant's record (core/api/contract-review.ts `patients.*`): birth data and
 * weights, and the course of the infant's signed exams with the screening status.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { trajectory } from '../patients/trajectory.ts';
import { latestSignedVisit } from '../review/latest-signed-visit.ts';
import { screeningStatus, todayOf } from '../review/screening-status.ts';
import type { Services } from './services.ts';

type PatientOps = 'patients.set' | 'patients.trajectory' | 'patients.addWeights';

export function createPatientHandlers(services: Services): Pick<ApiHandlers, PatientOps> {
  const session = services.get('session');
  const patients = () => services.get('patients');
  return {
    'patients.set': async (record) => patients().set(record, session.require().username),
    'patients.addWeights': async ({ patientId, weights }) => ({
      weights: await patients().addWeights(patientId, weights, session.require().username),
    }),
    'patients.trajectory': async ({ patientId }) => {
      const records = patients();
      const library = services.get('library');
      const patient = records.get(patientId);
      const reports = (await services.get('signedReports').latestOfPatient(patientId)).map(
        (report) => ({
          report,
          examDate: library.find(report.content.instanceIds[0] ?? '')?.studyDate ?? '',
        }),
      );
      const weights = records.weights(patientId);
      const screening = screeningStatus(
        patient,
        weights,
        latestSignedVisit(reports.map((r) => r.report)),
        todayOf(new Date()),
      );
      return {
        ...(patient ? { patient } : {}),
        weights,
        ...(screening ? { screening } : {}),
        points: trajectory(patientId, patient, reports).map((p) => ({
          ...p,
          pmaDays: Number.isNaN(p.pmaDays) ? null : p.pmaDays,
        })),
      };
    },
  };
}
