/**
 * The measurement being placed on an image and those saved with it: which tool is active
 * (from the tool table), the points clicked so far (a press on a point picks it up to drag
 * it), the live reading, and saving or deleting through the API (which audits both).
 */
import * as cornerstone from 'cornerstone-core';
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Annotation, AnnotationKind } from '../../../core/api/contract-worklist.ts';
import type { DecodedFrame, InstanceSummary } from '../../../core/api/schemas.ts';
import type { ApiClient } from '../../api/client.ts';
import type { DrawnMeasurement } from './MeasurementLayer.tsx';
import { MEASUREMENT_TOOLS, readingOf, toolFor, type ImagePoint } from './measurement-tools.ts';

type ReportError = (error: { message: string; code?: string; file?: string }) => void;
const HANDLE_RADIUS = 8; // screen pixels within which a press picks up a point

export function useMeasurements(
  api: ApiClient,
  instance: InstanceSummary,
  element: RefObject<HTMLDivElement | null>,
  spacing: DecodedFrame['spacing'],
  onError: ReportError,
  onReportChanged?: () => void,
) {
  const [kind, setKind] = useState<AnnotationKind>();
  const [points, setPoints] = useState<ImagePoint[]>([]);
  /** Where the points came from: the reader's clicks, or a model the reader may adjust. */
  const [source, setSource] = useState<string>();
  const [saved, setSaved] = useState<Annotation[]>([]);
  const [hover, setHover] = useState<ImagePoint>();
  const dragging = useRef<{ index: number; moved: boolean }>(undefined);
  const tools = MEASUREMENT_TOOLS.filter((t) => t.domains.includes(instance.domain));
  const current = kind ? toolFor(kind) : undefined;
  const complete = current !== undefined && points.length === current.steps.length;
  const reading = current && readingOf(current.kind, points, spacing);
  const fail = (error: unknown) => {
    const { message, code } = error as { message: string; code?: string };
    onError({
      message:
        code === 'AUTH_REQUIRED'
          ? 'Sign in to save measurements or use them in the report.'
          : message,
      code,
      file: instance.fileName,
    });
  };

  const loadSaved = useCallback(() => {
    api.call('annotations.list', { instanceId: instance.instanceId }).then(
      (r) => setSaved(r.annotations),
      () => setSaved([]),
    );
  }, [api, instance.instanceId]);
  useEffect(() => {
    setKind(undefined);
    setPoints([]);
    loadSaved();
  }, [loadSaved]);

  const toggle = (next: AnnotationKind) => {
    setKind((k) => (k === next ? undefined : next));
    setPoints([]);
    setSource(undefined);
  };
  const save = async () => {
    if (!current || !complete || !reading) return;
    try {
      // Only the kind and the points: the workstation measures them with the image's own spacing.
      await api.call('annotations.save', {
        instanceId: instance.instanceId,
        kind: current.kind,
        points,
      });
      // Saved: the tool disarms, so the next click on the image does not start another one.
      setKind(undefined);
      setPoints([]);
      setSource(undefined);
      loadSaved();
    } catch (error) {
      fail(error);
    }
  };
  const remove = async (id: string) => {
    try {
      await api.call('annotations.delete', { id });
      loadSaved();
    } catch (error) {
      fail(error);
    }
  };
  /** A saved cardiothoracic ratio entered as the reader's CTR in the exam's report (audited there as an edit). */
  const useInReport = async (annotation: Annotation) => {
    const ratio = annotation.values.find((v) => v.quantity === 'cardiothoracic-ratio');
    if (annotation.kind !== 'ctr' || !ratio) return;
    try {
      const { content } = await api.call('review.open', { instanceIds: [instance.instanceId] });
      await api.call('review.setField', {
        reportId: content.reportId,
        field: 'ctr',
        value: Number(ratio.value.toFixed(2)),
      });
      onReportChanged?.();
    } catch (error) {
      fail(error);
    }
  };
  /** The CTR tool's four points from the installed lung model, for the reader to adjust. */
  const ctrFromModel = async () => {
    try {
      const estimate = await api.call('measure.ctr', { instanceId: instance.instanceId });
      setPoints(estimate.points);
      setSource(
        `estimated by ${estimate.model.id} ${estimate.model.version}; drag a point to adjust`,
      );
    } catch (error) {
      fail(error);
    }
  };

  const toImage = (e: React.MouseEvent): ImagePoint => {
    const p = cornerstone.pageToPixel(element.current!, e.pageX, e.pageY);
    return { x: p.x, y: p.y };
  };
  const onMouseDown = (e: React.MouseEvent) => {
    if (!current || e.button !== 0 || e.shiftKey || !element.current) return;
    const rect = element.current.getBoundingClientRect();
    const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    const index = points.findIndex((p) => {
      const c = cornerstone.pixelToCanvas(element.current!, p as cornerstone.PixelCoordinate);
      return Math.hypot(c.x - at.x, c.y - at.y) <= HANDLE_RADIUS;
    });
    if (index >= 0) dragging.current = { index, moved: false };
  };
  const onMouseUp = (e: React.MouseEvent) => {
    if (!current || e.button !== 0 || e.shiftKey) return;
    if (dragging.current) {
      const { moved } = dragging.current;
      dragging.current = undefined;
      if (moved) return;
    }
    const point = toImage(e);
    setSource(undefined);
    setPoints((placed) => (placed.length >= current.steps.length ? [point] : [...placed, point]));
  };
  /** Follows the pointer (image pixels): drags a picked-up point, previews the next one. */
  const onPointer = (p: ImagePoint) => {
    if (dragging.current) {
      const { index } = dragging.current;
      dragging.current.moved = true;
      setPoints((placed) => placed.map((q, i) => (i === index ? p : q)));
    }
    if (current) setHover(p);
  };

  const placing =
    current && points.length < current.steps.length && hover ? [...points, hover] : points;
  const drawn: DrawnMeasurement[] = [
    ...saved.map((a) => ({
      key: a.id,
      kind: a.kind,
      points: a.points,
      label: a.label,
      saved: true,
    })),
    ...(current && placing.length
      ? [
          {
            key: 'placing',
            kind: current.kind,
            points: placing,
            label: readingOf(current.kind, placing, spacing),
            saved: false,
          },
        ]
      : []),
  ];
  const prompt = current
    ? (reading ?? `click ${current.steps[Math.min(points.length, current.steps.length - 1)]}`)
    : undefined;
  return {
    tools,
    kind,
    current,
    complete,
    reading,
    prompt,
    source,
    saved,
    drawn,
    toggle,
    save,
    remove,
    useInReport,
    ctrFromModel,
    toImage,
    onMouseDown,
    onMouseUp,
    onPointer,
  };
}

export type Measurements = ReturnType<typeof useMeasurements>;
