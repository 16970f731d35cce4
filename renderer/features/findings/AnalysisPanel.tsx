/**
 * The AI panel beside the viewer: the models installed for this image's domain, each run
 * on request; every result shows the model (id, version, sha256), its investigational
 * status, the engine used, where and why, and the time taken. Without a model the panel says
 * so and the reader grades by hand.
 */
import { useEffect, useMemo, useState } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import type { ModelManifest } from '../../../core/inference/portable/package-schema.ts';
import { useApi } from '../../api/ApiProvider.tsx';
import { failureText } from '../inference/failure-text.ts';
import { InferenceClient } from '../inference/inference-client.ts';
import { analyseOpenImage, explainOpenImage, type PageAnalysis } from './run-analysis.ts';
import { saliencyMethodsOf } from '../../../core/inference/portable/saliency/saliency-methods.ts';
import { COLORMAPS, type Colormap } from '../viewer/heat-overlay.ts';
import type { OverlayDisplay } from '../viewer/Viewport.tsx';

export interface OverlaySettings extends OverlayDisplay {
  /** The original and the overlaid image side by side. */
  sideBySide: boolean;
}

export function AnalysisPanel({
  instance,
  analysis,
  onAnalysis,
  overlay,
  onOverlay,
  highlighted,
  onHighlight,
}: {
  instance: InstanceSummary;
  analysis?: PageAnalysis;
  onAnalysis(analysis: PageAnalysis | undefined): void;
  overlay: OverlaySettings;
  onOverlay(settings: OverlaySettings): void;
  /** The finding whose region is outlined on the image (clicking a finding toggles it). */
  highlighted?: string;
  onHighlight(label: string | undefined): void;
}) {
  const api = useApi();
  const [models, setModels] = useState<ModelManifest[]>();
  const [running, setRunning] = useState<string>();
  const [explaining, setExplaining] = useState<string>();
  const [error, setError] = useState<string>();
  const client = useMemo(() => new InferenceClient(), []);

  useEffect(() => {
    api.call('models.list', {}).then(
      (r) =>
        setModels(
          // Only the version that analyses exams: a candidate waits for the admin's choice.
          r.models.flatMap((m) =>
            m.ok &&
            m.manifest.domain === instance.domain &&
            (m.activation?.state ?? 'active') === 'active'
              ? [m.manifest]
              : [],
          ),
        ),
      (e: Error) => setError(e.message),
    );
  }, [api, instance.domain]);

  const run = async (manifest: ModelManifest) => {
    setRunning(manifest.id);
    setError(undefined);
    try {
      onAnalysis(await analyseOpenImage(api, client, instance, manifest));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setRunning(undefined);
    }
  };

  const current = analysis?.instanceId === instance.instanceId ? analysis : undefined;
  const currentManifest = current
    ? models?.find((m) => m.id === current.model.id && m.version === current.model.version)
    : undefined;
  const onDemand = currentManifest
    ? saliencyMethodsOf(currentManifest).filter((m): m is 'occlusion' | 'rise' => m !== 'cam')
    : [];

  const explain = async (method: 'occlusion' | 'rise') => {
    if (!current || !currentManifest) return;
    setError(undefined);
    setExplaining(`${method} …`);
    try {
      const map = await explainOpenImage(
        api,
        client,
        instance,
        currentManifest,
        method,
        (done, total) => setExplaining(`${method} ${done}/${total}`),
      );
      onAnalysis({ ...current, map });
    } catch (e) {
      setError(failureText(e));
    } finally {
      setExplaining(undefined);
    }
  };
  return (
    <aside className="analysis-panel" aria-label="AI analysis">
      <h2>AI assistance</h2>
      {instance.domain === 'other' ? (
        <p className="hint">No AI for this image ({instance.domainReason}).</p>
      ) : null}
      {models && !models.length && instance.domain !== 'other' ? (
        <p className="hint">
          No model is installed for {instance.domain} images. Grade manually; nothing here predicts.
        </p>
      ) : null}
      {models?.map((m) => (
        <button
          key={`${m.id}@${m.version}`}
          type="button"
          disabled={Boolean(running)}
          onClick={() => void run(m)}
        >
          {running === m.id ? 'Analysing…' : `Analyse with ${m.id} ${m.version}`}
        </button>
      ))}
      {error ? <p className="message-error">{error}</p> : null}
      {current ? (
        <div className="analysis-result" data-model-id={current.model.id}>
          <div>
            <strong>{current.model.name}</strong>{' '}
            {current.model.investigational ? <span className="badge">investigational</span> : null}
          </div>
          <div className="meta">
            {current.model.id} {current.model.version} · sha256 {current.model.sha256.slice(0, 12)}…
            · <span data-testid="analysis-engine">{current.engine}</span> in the{' '}
            <span data-testid="analysis-where">{current.where}</span> ·{' '}
            {current.inferenceMs.toFixed(1)} ms
          </div>
          <div className="meta" data-testid="analysis-engine-reason">
            {current.engineReason}
          </div>
          <ul className="findings">
            {current.findings.map((f) => (
              <li key={f.label} data-score={f.score}>
                <button
                  type="button"
                  className="finding"
                  aria-pressed={highlighted === f.label}
                  disabled={!current.map}
                  onClick={() => onHighlight(highlighted === f.label ? undefined : f.label)}
                  title={
                    current.map
                      ? 'Outline the region of the map behind this finding'
                      : 'This model gives no map'
                  }
                >
                  {f.label}: <strong>{(f.score * 100).toFixed(1)}%</strong>
                  {f.threshold !== undefined
                    ? ` (threshold ${(f.threshold * 100).toFixed(0)}% → ${f.positive ? 'above' : 'below'})`
                    : ''}
                </button>
                <small className="meta">
                  {' '}
                  {current.model.id} {current.model.version}
                </small>
              </li>
            ))}
            {current.regions.map((r) => (
              <li key={`region-${r.label}`} data-area={r.areaFraction}>
                <button
                  type="button"
                  className="finding"
                  aria-pressed={highlighted === `region:${r.label}`}
                  onClick={() =>
                    onHighlight(
                      highlighted === `region:${r.label}` ? undefined : `region:${r.label}`,
                    )
                  }
                  title="Outline this region on the image"
                >
                  {r.label}: {(r.areaFraction * 100).toFixed(1)}% of the image · mean probability{' '}
                  <strong>{(r.meanProbability * 100).toFixed(1)}%</strong>
                </button>
                <small className="meta">
                  {' '}
                  {current.model.id} {current.model.version}
                </small>
              </li>
            ))}
          </ul>
          {current.map || onDemand.length ? (
            <div className="saliency-methods" role="group" aria-label="Saliency method">
              {current.map ? (
                <span className="meta" data-testid="map-kind">
                  map: {current.map.kind}
                </span>
              ) : null}
              {onDemand.map((method) => (
                <button
                  key={method}
                  type="button"
                  disabled={Boolean(explaining)}
                  onClick={() => void explain(method)}
                  title={
                    method === 'rise'
                      ? 'RISE: 1,000 random masks (Petsiuk et al. 2018); takes seconds'
                      : 'Occlusion: a grey patch slid over a 14×14 grid (Zeiler & Fergus 2014)'
                  }
                >
                  {method === 'rise' ? 'RISE map' : 'Occlusion map'}
                </button>
              ))}
              {explaining ? (
                <span className="meta" role="status">
                  computing {explaining}
                </span>
              ) : null}
            </div>
          ) : null}
          {current.map ? (
            <div className="overlay-controls">
              <label>
                <input
                  type="checkbox"
                  checked={overlay.visible}
                  onChange={(e) => onOverlay({ ...overlay, visible: e.target.checked })}
                />{' '}
                {current.map.kind} overlay (H)
              </label>
              <label>
                opacity{' '}
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={overlay.opacity}
                  onChange={(e) => onOverlay({ ...overlay, opacity: Number(e.target.value) })}
                />
              </label>
              <label>
                threshold{' '}
                <input
                  type="range"
                  min={0}
                  max={0.95}
                  step={0.05}
                  value={overlay.threshold}
                  onChange={(e) => onOverlay({ ...overlay, threshold: Number(e.target.value) })}
                />
              </label>
              <label>
                colormap{' '}
                <select
                  value={overlay.colormap}
                  onChange={(e) => onOverlay({ ...overlay, colormap: e.target.value as Colormap })}
                >
                  {COLORMAPS.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={overlay.style === 'contour'}
                  onChange={(e) =>
                    onOverlay({ ...overlay, style: e.target.checked ? 'contour' : 'fill' })
                  }
                />{' '}
                contour only
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={overlay.sideBySide}
                  onChange={(e) => onOverlay({ ...overlay, sideBySide: e.target.checked })}
                />{' '}
                side by side with the original
              </label>
            </div>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
