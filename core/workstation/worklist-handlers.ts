/**
 * Handlers for the worklist and saved measurements (core/api/contract-worklist.ts). The
 * worklist works without a data folder (every exam new); saving needs one.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { imageSpacing } from '../annotations/annotation-store.ts';
import { reportIdFor } from '../review/report-id.ts';
import { listExams, markViewed } from '../worklist/exam-status.ts';
import type { Services } from './services.ts';

type WorklistOps =
  | 'worklist.exams'
  | 'worklist.markViewed'
  | 'annotations.list'
  | 'annotations.save'
  | 'annotations.delete';

export function createWorklistHandlers(services: Services): Pick<ApiHandlers, WorklistOps> {
  const session = services.get('session');
  const library = services.get('library');
  const annotations = () => services.get('annotations');
  return {
    'worklist.exams': async () => {
      const patients = services.find('patients');
      return {
        exams: listExams(library.list(), {
          db: services.find('data')?.db,
          analysed: services.find('analyses')?.analysedReports(),
          patients: (id) => patients?.get(id),
          username: session.peek()?.username,
        }),
      };
    },
    'worklist.markViewed': async ({ instanceId }) => {
      const { db } = services.get('data');
      const reportId = reportIdFor(library.get(instanceId));
      markViewed(db, reportId, session.require().username, new Date());
      return { reportId };
    },
    'annotations.list': async ({ instanceId }) => {
      const store = services.find('annotations');
      if (!store) return { annotations: [] };
      await store.measureOlderRows(instanceId, () => imageSpacing(library, instanceId));
      return { annotations: store.list(instanceId) };
    },
    // The page sends the kind and the points; any reading it sends is ignored (the store
    // computes the numbers with the image's own spacing and renders the reading from them).
    'annotations.save': async ({ instanceId, kind, points }) => {
      const store = annotations();
      const user = session.require();
      const { columns, rows } = library.get(instanceId);
      const spacing = await imageSpacing(library, instanceId);
      return store.save({ instanceId, kind, points }, user.username, { columns, rows, spacing });
    },
    'annotations.delete': async ({ id }) => {
      await annotations().delete(id, session.require().username);
      return {};
    },
  };
}
