import { secondsLeft, type ImportProgress } from './import-files.ts';

export function ImportProgressBar({ progress }: { progress: ImportProgress }) {
  const left = secondsLeft(progress, performance.now());
  return (
    <div className="import-progress" role="status">
      <progress max={progress.total} value={progress.done} />
      <span>
        Importing {progress.done} of {progress.total} files · {progress.imported} imported
        {progress.failed ? ` · ${progress.failed} failed` : ''}
        {left !== undefined ? ` · about ${left} s left` : ''}
      </span>
    </div>
  );
}
