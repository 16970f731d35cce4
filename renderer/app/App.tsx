/** The workstation shell: header, worklist, viewer, import progress and messages. */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { InstanceSummary } from '../../core/api/schemas.ts';
import type { OperationResult } from '../../core/api/contract.ts';
import { domainOfRole } from '../../core/vocabulary/roles.ts';
import { useApi, useApiEvent } from '../api/ApiProvider.tsx';
import {
  importFiles,
  photosIn,
  type FileLike,
  type ImportProgress,
} from '../features/import/import-files.ts';
import { PhotoImportForm } from '../features/import/PhotoImportForm.tsx';
import { ImportProgressBar } from '../features/import/ImportProgressBar.tsx';
import { QuarantinePanel, type QuarantineEntry } from '../features/import/Quarantine.tsx';
import { MessageList, useMessages } from '../features/messages/messages.tsx';
import { AnalysisPanel, type OverlaySettings } from '../features/findings/AnalysisPanel.tsx';
import type { PageAnalysis } from '../features/findings/run-analysis.ts';
import { ModelsPanel } from '../features/models/ModelsPanel.tsx';
import { ValidationPanel } from '../features/validation/ValidationPanel.tsx';
import { AccountBar, type AuthStatus } from '../features/account/AccountBar.tsx';
import { AccountsPanel } from '../features/account/AccountsPanel.tsx';
import { ReviewPanel } from '../features/review/ReviewPanel.tsx';
import { ExchangePanel } from '../features/exchange/ExchangePanel.tsx';
import { BatchQueue } from '../features/batch/BatchQueue.tsx';
import { ViewerArea } from '../features/layouts/ViewerArea.tsx';
import type { ExamEntry } from '../features/layouts/layout-props.ts';
import { COLOUR_VIEWS, type ColourView } from '../features/viewer/display-modes.ts';
import { regionAbove } from '../features/viewer/heat-overlay.ts';
import { isTyping } from '../features/viewer/view-keys.ts';
import { Worklist } from '../features/worklist/Worklist.tsx';
import { ShortcutsHelp } from './ShortcutsHelp.tsx';

export function App() {
  const api = useApi();
  const [info, setInfo] = useState<OperationResult<'app.info'>>();
  const [instances, setInstances] = useState<InstanceSummary[]>([]);
  const [openId, setOpenId] = useState<string>();
  const [progress, setProgress] = useState<ImportProgress>();
  const [showHelp, setShowHelp] = useState(false);
  const [quarantine, setQuarantine] = useState<QuarantineEntry[]>([]);
  const [quarantineFocus, setQuarantineFocus] = useState<string>();
  const [analysis, setAnalysis] = useState<PageAnalysis>();
  const [overlay, setOverlay] = useState<OverlaySettings>({
    visible: true,
    opacity: 0.5,
    threshold: 0.2,
    colormap: 'heat',
    style: 'fill',
    sideBySide: false,
  });
  const [exams, setExams] = useState<ExamEntry[]>([]);
  const [colourView, setColourView] = useState<ColourView>('colour');
  const [highlighted, setHighlighted] = useState<string>();
  /** Bumped when something outside the report panel changed the report (a measurement entered in it). */
  const [reportRevision, setReportRevision] = useState(0);
  const [awaitingPhotoDetails, setAwaitingPhotoDetails] = useState<FileLike[]>();
  const [auth, setAuth] = useState<AuthStatus>();
  const [sidePanel, setSidePanel] = useState<'analysis' | 'report'>('analysis');
  /** One panel over the workstation at a time: opening one closes the other, so none hides another. */
  const [panel, setPanel] = useState<
    'models' | 'exchange' | 'accounts' | 'quarantine' | 'validation'
  >();
  const toggle = (name: NonNullable<typeof panel>) =>
    setPanel((p) => (p === name ? undefined : name));
  const closePanel = () => setPanel(undefined);
  const refreshAuth = useCallback(
    () => void api.call('auth.status', {}).then(setAuth, () => setAuth(undefined)),
    [api],
  );
  useEffect(refreshAuth, [refreshAuth]);
  const { messages, add, dismiss } = useMessages();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const reportError = useCallback(
    (error: { message: string; code?: string; file?: string }) =>
      add({ kind: 'error', text: error.message, code: error.code, file: error.file }),
    [add],
  );

  // Patient data is fetched only while someone is signed in; signed out (or locked by the
  // idle timer) the page holds none of it, so nothing is left on screen for a passer-by.
  const signedInRef = useRef(false);
  const forgetPatientData = useCallback(() => {
    setInstances([]);
    setExams([]);
    setOpenId(undefined);
    setAnalysis(undefined);
  }, []);
  const refresh = useCallback(async () => {
    if (!signedInRef.current) return forgetPatientData();
    try {
      setInstances((await api.call('library.list', {})).instances);
      setExams((await api.call('worklist.exams', {})).exams);
    } catch (error) {
      if ((error as { code?: string }).code === 'AUTH_REQUIRED') {
        forgetPatientData();
        refreshAuth();
      } else reportError(error as Error);
    }
  }, [api, reportError, forgetPatientData, refreshAuth]);

  useEffect(() => void api.call('app.info', {}).then(setInfo, reportError), [api, reportError]);
  // The workstation says when something changed, whoever changed it: images imported from the
  // menu, a partner batch or a modality pushing over DICOM; a signature; a sign-in elsewhere or
  // the idle lock, after which the page forgets the patient data it holds.
  useApiEvent('library.changed', () => void refresh());
  useApiEvent('worklist.changed', () => void refresh());
  useApiEvent('session.changed', () => refreshAuth());
  useApiEvent('show-shortcuts', () => setShowHelp(true));

  const runImport = useCallback(
    async (files: FileLike[], photoDetailsGiven = false) => {
      if (!files.length) return;
      if (!photoDetailsGiven && photosIn(files).length) {
        setAwaitingPhotoDetails(files);
        return;
      }
      const report = await importFiles(api, files, setProgress);
      setProgress(undefined);
      for (const failure of report.failed)
        add({ kind: 'error', text: failure.message, code: failure.code, file: failure.fileName });
      if (report.failed.length) setQuarantine((list) => [...list, ...report.failed]);
      const summary =
        `Imported ${report.imported.length} image(s)` +
        (report.duplicates.length ? `, ${report.duplicates.length} already in the library` : '') +
        (report.failed.length ? `, ${report.failed.length} could not be read` : '');
      add({ kind: 'info', text: summary });
      await refresh();
      if (report.imported[0]) setOpenId(report.imported[0].instanceId);
    },
    [api, add, refresh],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        fileInput.current?.click();
      } else if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      else if (e.key === '?') setShowHelp((v) => !v);
      else if (e.key === 'Escape') setShowHelp(false);
      else if (e.key === 'h' || e.key === 'H') setOverlay((o) => ({ ...o, visible: !o.visible }));
      // Colour, red-free, contrast-enhanced: for fundus photographs.
      else if (e.key === 'g' || e.key === 'G')
        setColourView((v) => COLOUR_VIEWS[(COLOUR_VIEWS.indexOf(v) + 1) % COLOUR_VIEWS.length]!);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    void runImport([...e.dataTransfer.files]);
  };
  const open = instances.find((i) => i.instanceId === openId);
  const signedIn = Boolean(auth?.user);
  const openFile = (file: string) => {
    const image = instances.find((i) => i.fileName === file);
    if (image) setOpenId(image.instanceId);
    else if (quarantine.some((q) => q.fileName === file)) {
      setQuarantineFocus(file);
      setPanel('quarantine');
    }
  };
  const username = auth?.user?.username;
  signedInRef.current = Boolean(username);
  useEffect(() => {
    // The first look at the library, and again when someone signs in or out (unread is per reader).
    void refresh();
  }, [username, refresh]);

  // Exams this reader opened in this session: read, whatever an earlier, slower list fetch says.
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setReadHere(new Set()), [username]);
  useEffect(() => setPanel(undefined), [username]); // a new sign-in starts without any panel open
  useEffect(() => {
    // Opening an exam marks it read for the signed-in reader.
    if (!openId || !signedIn) return;
    api.call('worklist.markViewed', { instanceId: openId }).then(
      ({ reportId }) => setReadHere((read) => new Set(read).add(reportId)),
      () => undefined, // an image without a store (preview) has no reading state
    );
  }, [api, openId, signedIn]);
  const shownExams = useMemo(
    () => exams.map((e) => (e.unread && readHere.has(e.reportId) ? { ...e, unread: false } : e)),
    [exams, readHere],
  );
  useEffect(() => setHighlighted(undefined), [openId, analysis]);
  const openExam = shownExams.find((e) => openId && e.instanceIds.includes(openId));
  /**
   * A signature changes the worklist at once (status, next due date); "sign and next" then
   * opens the next infant still to be read in the same domain, in triage order.
   */
  const afterSigning = async (next: boolean) => {
    const signedExam = openExam;
    if (!next || !signedExam) return void refresh();
    const exams = (await api.call('worklist.exams', {})).exams;
    setExams(exams);
    const following = exams.find(
      (e) =>
        e.domain === signedExam.domain &&
        e.patientId !== signedExam.patientId &&
        e.status !== 'signed' &&
        e.status !== 'sent',
    );
    if (following) setOpenId(following.instanceIds[0]);
    else add({ kind: 'info', text: `No other ${signedExam.domain} exam is waiting to be read.` });
  };
  const mapOf = useCallback(
    (instanceId: string) => (analysis?.instanceId === instanceId ? analysis.map : undefined),
    [analysis],
  );
  const highlight = useMemo(
    () => (highlighted && analysis?.map ? regionAbove(analysis.map, overlay.threshold) : undefined),
    [highlighted, analysis, overlay.threshold],
  );

  return (
    <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header className="app-header">
        <h1>NeoScope</h1>
        <span className="subtitle">
          <span className="tagline">neonatal imaging workstation · </span>
          {info
            ? `v${info.version} · ${info.host === 'electron' ? 'desktop' : 'browser host'}`
            : ''}
        </span>
        <div className="actions">
          {signedIn ? (
            <button
              type="button"
              onClick={() => fileInput.current?.click()}
              title="Import DICOM files (Ctrl+O)"
            >
              Import files…
            </button>
          ) : null}
          {signedIn ? (
            <button
              type="button"
              onClick={() => folderInput.current?.click()}
              title="Import a folder: a camera's export folder with its sidecar CSV, or DICOM media"
            >
              Import folder…
            </button>
          ) : null}
          {quarantine.length ? (
            <button
              type="button"
              className="quarantine-button"
              onClick={() => toggle('quarantine')}
              title="Files refused at import, with reasons"
            >
              Quarantine ({quarantine.length})
            </button>
          ) : null}
          <button type="button" onClick={() => toggle('models')} title="Installed AI models">
            Models
          </button>
          {auth?.user ? (
            <button
              type="button"
              onClick={() => toggle('exchange')}
              title="Send and receive batches with partner sites"
            >
              Exchange
            </button>
          ) : null}
          {auth?.user ? (
            <button
              type="button"
              onClick={() => toggle('validation')}
              title="How each model agrees with this site's signed readings"
            >
              Validation
            </button>
          ) : null}
          {auth?.user?.role === 'admin' ? (
            <button
              type="button"
              onClick={() => setPanel('accounts')}
              title="Create, disable and reset local accounts"
            >
              Accounts
            </button>
          ) : null}
          <button type="button" onClick={() => setShowHelp(true)} title="Keyboard shortcuts (?)">
            ?
          </button>
          <AccountBar status={auth} onChange={refreshAuth} />
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="import-input"
          onChange={(e) => {
            void runImport([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          data-testid="import-folder-input"
          // A folder picker in Chromium and Electron; files arrive with their relative paths.
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            void runImport([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </header>
      {progress ? <ImportProgressBar progress={progress} /> : null}
      {!signedIn ? (
        <main className="app-main signed-out">
          <p className="empty" data-testid="signed-out">
            {auth?.accounts === 0
              ? 'Create the first (admin) account to start: Create admin account… above.'
              : 'Sign in to see the worklist and images (Sign in… above). Nothing about patients is shown or fetched while nobody is signed in.'}
          </p>
        </main>
      ) : (
        <main className="app-main">
          <Worklist
            instances={instances}
            exams={shownExams}
            openId={openId}
            onOpen={setOpenId}
            queueDomain={auth?.user ? domainOfRole(auth.user.role) : undefined}
            toolbar={auth?.user ? (visible) => <BatchQueue instances={visible} /> : undefined}
          />
          <section className="viewer" aria-label="Viewer">
            {open ? (
              <ViewerArea
                open={open}
                instances={instances}
                exams={shownExams}
                onError={reportError}
                overlayFor={mapOf}
                overlayDisplay={overlay}
                highlight={highlight}
                colourView={colourView}
                sideBySide={overlay.sideBySide}
                onReportChanged={() => setReportRevision((r) => r + 1)}
              />
            ) : (
              <p className="empty">Choose an image from the worklist.</p>
            )}
          </section>
          {open ? (
            <div className="side-panels">
              <div className="side-tabs" role="tablist">
                <button
                  type="button"
                  role="tab"
                  aria-selected={sidePanel === 'analysis'}
                  onClick={() => setSidePanel('analysis')}
                >
                  AI
                </button>
                <button
                  type="button"
                  role="tab"
                  aria-selected={sidePanel === 'report'}
                  onClick={() => setSidePanel('report')}
                >
                  Report
                </button>
              </div>
              {sidePanel === 'analysis' ? (
                <AnalysisPanel
                  instance={open}
                  analysis={analysis}
                  onAnalysis={setAnalysis}
                  overlay={overlay}
                  onOverlay={setOverlay}
                  highlighted={highlighted}
                  onHighlight={setHighlighted}
                />
              ) : (
                <ReviewPanel
                  key={reportRevision}
                  instance={open}
                  visitInstanceIds={openExam?.instanceIds ?? [open.instanceId]}
                  signedIn={Boolean(auth?.user)}
                  onSigned={(next) => void afterSigning(next)}
                />
              )}
            </div>
          ) : null}
        </main>
      )}
      {panel === 'models' ? (
        <ModelsPanel onClose={closePanel} isAdmin={auth?.user?.role === 'admin'} />
      ) : null}
      {panel === 'validation' && auth?.user ? (
        <ValidationPanel
          onClose={closePanel}
          onOpenReport={(reportId) => {
            const exam = exams.find((e) => e.reportId === reportId);
            if (!exam)
              return add({ kind: 'info', text: `Exam ${reportId} is not in the worklist.` });
            setOpenId(exam.instanceIds[0]);
            closePanel();
          }}
        />
      ) : null}
      {panel === 'exchange' && auth?.user ? (
        <ExchangePanel
          instances={instances}
          open={open}
          isAdmin={auth.user.role === 'admin'}
          onImported={() => void refresh()}
          onClose={closePanel}
        />
      ) : null}
      {panel === 'accounts' && auth?.user?.role === 'admin' ? (
        <AccountsPanel currentUser={auth.user.username} onClose={closePanel} />
      ) : null}
      {panel === 'quarantine' ? (
        <QuarantinePanel entries={quarantine} focus={quarantineFocus} onClose={closePanel} />
      ) : null}
      <MessageList messages={messages} dismiss={dismiss} openFile={openFile} />
      {showHelp ? <ShortcutsHelp onClose={() => setShowHelp(false)} /> : null}
      {awaitingPhotoDetails ? (
        <PhotoImportForm
          files={awaitingPhotoDetails}
          onCancel={() => setAwaitingPhotoDetails(undefined)}
          onSubmit={(files) => {
            setAwaitingPhotoDetails(undefined);
            void runImport(files, true);
          }}
        />
      ) : null}
    </div>
  );
}
