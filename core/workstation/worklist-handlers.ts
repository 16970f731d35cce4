/**
 * Handlers for the worklist and saved measurements (core/api/contract-worklist.ts). The
 * worklist works without a data folder (every exam new); saving needs one and a signed-in user.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError, CodedError } from '../api/errors.ts';
import { AnnotationStore, imageSpacing } from '../annotations/annotation-store.ts';
import type { Library } from '../library/library.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import { reportIdFor } from '../review/report-id.ts';
import type { DataFolder } from '../store/data-folder.ts';
import type { Session } from '../users/session.ts';
import { listExams, markViewed } from '../worklist/exam-status.ts';

type WorklistOps =
  | 'worklist.exams'
  | 'worklist.markViewed'
  | 'annotations.list'
  | 'annotations.save'
  | 'annotations.delete';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export function createWorklistHandlers(deps: {
  data?: DataFolder;
  library: Library;
  session: Session;
}): Pick<ApiHandlers, WorklistOps> {
  const { data, library, session } = deps;
  const patients = data ? new PatientRecords(data.db, data.audit) : undefined;
  const annotations = data ? new AnnotationStore(data.db, data.audit) : undefined;
  const need = () => {
    if (!data || !annotations)
      throw new StoreRequired(
        'STORE_REQUIRED',
        'this workstation runs without a data folder (preview); saving needs one',
      );
    return { data, annotations };
  };
  const instance = (instanceId: string) => {
    const found = library.list().find((i) => i.instanceId === instanceId);
    if (!found)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `No image with id ${instanceId.slice(0, 12)}… is in the library.`,
      });
    return found;
  };
  return {
    'worklist.exams': async () => ({
      exams: listExams(
        library.list(),
        data?.db,
        (id) => patients?.get(id),
        session.peek()?.username,
      ),
    }),
    'worklist.markViewed': async ({ instanceId }) => {
      const { data } = need();
      const reportId = reportIdFor(instance(instanceId));
      markViewed(data.db, reportId, session.require().username, new Date());
      return { reportId };
    },
    'annotations.list': async ({ instanceId }) => {
      if (!annotations) return { annotations: [] };
      await annotations.measureOlderRows(instanceId, () => imageSpacing(library, instanceId));
      return { annotations: annotations.list(instanceId) };
    },
    // The page sends the kind and the points; any reading it sends is ignored (the store
    // computes the numbers with the image's own spacing and renders the reading from them).
    'annotations.save': async ({ instanceId, kind, points }) => {
      const { annotations } = need();
      const user = session.require();
      const { columns, rows } = instance(instanceId);
      const spacing = await imageSpacing(library, instanceId);
      return annotations.save({ instanceId, kind, points }, user.username, {
        columns,
        rows,
        spacing,
      });
    },
    'annotations.delete': async ({ id }) => {
      const { annotations } = need();
      await annotations.delete(id, session.require().username);
      return {};
    },
  };
}
