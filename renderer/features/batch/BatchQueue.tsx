/**
 * Analyse the worklist in one go: every exam in view, one after another in the service
 * (review.analyze records each exam's AI values in its draft as soon as they exist), with
 * progress, time left, pause, resume and cancel. Work done is stored as it completes, so a
 * queue interrupted by a crash or a cancel resumes by starting it again: exams the models
 * have already analysed (or that are signed) are skipped.
 */
import { useRef, useState } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { useApi } from '../../api/ApiProvider.tsx';

type State = 'idle' | 'running' | 'pausing' | 'paused' | 'cancelled' | 'done';

interface Progress {
  total: number;
  analysed: number;
  skipped: number;
  failed: { fileName: string; message: string }[];
  startedAt: number;
}

export function BatchQueue({ instances }: { instances: InstanceSummary[] }) {
  const api = useApi();
  const [state, setState] = useState<State>('idle');
  const [progress, setProgress] = useState<Progress>();
  const control = useRef<{ paused: boolean; cancelled: boolean; resume?: () => void }>({
    paused: false,
    cancelled: false,
  });
  const exams = instances.filter((i) => i.domain === 'retina' || i.domain === 'chest');

  const run = async () => {
    control.current = { paused: false, cancelled: false };
    const p: Progress = {
      total: exams.length,
      analysed: 0,
      skipped: 0,
      failed: [],
      startedAt: performance.now(),
    };
    setProgress({ ...p });
    setState('running');
    for (const exam of exams) {
      if (control.current.paused) {
        // The exam in flight has finished: now the queue is really paused.
        setState('paused');
        await new Promise<void>((resolve) => (control.current.resume = resolve));
      }
      if (control.current.cancelled) break;
      try {
        const draft = await api.call('review.open', { instanceIds: [exam.instanceId] });
        if (draft.status === 'signed' || draft.analysedWith.length) p.skipped++;
        else {
          await api.call('review.analyze', { reportId: draft.content.reportId });
          p.analysed++;
        }
      } catch (error) {
        p.failed.push({ fileName: exam.fileName, message: (error as Error).message });
      }
      setProgress({ ...p, failed: [...p.failed] });
    }
    setState(control.current.cancelled ? 'cancelled' : 'done');
  };

  const done = progress ? progress.analysed + progress.skipped + progress.failed.length : 0;
  const elapsed = progress ? (performance.now() - progress.startedAt) / 1000 : 0;
  const rate = progress && progress.analysed ? progress.analysed / Math.max(elapsed, 1e-3) : 0;
  const left = progress && rate ? Math.round((progress.total - done) / rate) : undefined;

  return (
    <div className="batch-queue" data-state={state}>
      {state === 'running' || state === 'pausing' || state === 'paused' ? (
        <>
          <progress max={progress?.total ?? 1} value={done} />
          <span data-testid="batch-progress">
            {done}/{progress?.total} · {progress?.analysed} analysed, {progress?.skipped} already
            done{progress?.failed.length ? `, ${progress.failed.length} failed` : ''}
            {left !== undefined && state === 'running' ? ` · ${left} s left` : ''}
            {state === 'paused'
              ? ' · paused'
              : state === 'pausing'
                ? ' · pausing after this exam…'
                : ''}
          </span>
          {state === 'running' ? (
            <button
              type="button"
              onClick={() => {
                control.current.paused = true;
                setState('pausing');
              }}
            >
              Pause
            </button>
          ) : state === 'pausing' ? (
            <button type="button" disabled>
              Pause
            </button>
          ) : (
            <button
              type="button"
              onClick={() => {
                control.current.paused = false;
                setState('running');
                control.current.resume?.();
              }}
            >
              Resume
            </button>
          )}
          <button
            type="button"
            onClick={() => {
              control.current.cancelled = true;
              control.current.paused = false;
              control.current.resume?.();
            }}
          >
            Cancel
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            disabled={!exams.length}
            onClick={() => void run()}
            title="Run the installed models on every exam in view; finished exams are kept and skipped next time"
          >
            Analyse {exams.length} exam(s)
          </button>
          {progress && (state === 'done' || state === 'cancelled') ? (
            <span data-testid="batch-progress">
              {state === 'cancelled' ? 'Cancelled' : 'Done'}: {progress.analysed} analysed,{' '}
              {progress.skipped} already done
              {progress.failed.length ? `, ${progress.failed.length} failed` : ''} of{' '}
              {progress.total}
            </span>
          ) : null}
          {progress?.failed.map((f) => (
            <span key={f.fileName} className="message-error">
              {f.fileName}: {f.message}
            </span>
          ))}
        </>
      )}
    </div>
  );
}
