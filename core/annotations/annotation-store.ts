/**
 * Measurements a reader saves with a study (length, angle, cardiothoracic ratio, the
 * optic-disc ruler and the ICROP zone I circle): points in image pixels, the numbers the
 * workstation computes from them with the image's own pixel spacing, who and when. The
 * reading is rendered from the numbers, never taken from the page, so what is signed is what
 * the points measure. Saving and deleting are audited like report edits.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../base/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Library } from '../library/library.ts';
import type { Database, Row } from '../store/database.ts';
import {
  POINTS_PER_KIND,
  type Annotation,
  type AnnotationKind,
} from '../measurements/geometry/annotation-kinds.ts';
import { formatMeasurement } from '../measurements/geometry/format.ts';
import { measureAnnotation } from '../measurements/geometry/measure.ts';
import type { FrameSpacing, MeasuredValue } from '../measurements/geometry/units.ts';

export { POINTS_PER_KIND, type Annotation, type AnnotationKind };

export class AnnotationError extends CodedError<'ANNOTATION_INVALID' | 'ANNOTATION_NOT_FOUND'> {}

/** The image a measurement is saved on: its size, and its spacing (absent: pixels only). */
export interface MeasuredImage {
  columns: number;
  rows: number;
  spacing?: FrameSpacing;
}

export class AnnotationStore {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The image's measurements, oldest first. A row saved before numbers were stored is
   * measured from its points with `spacing` (the image's own, where the caller has it;
   * `measureOlderRows` writes those numbers back so signing freezes the same ones).
   */
  list(instanceId: string, spacing?: FrameSpacing): Annotation[] {
    return this.db
      .all('SELECT * FROM annotations WHERE instance_id = ? ORDER BY created_at, id', [instanceId])
      .map((row) => {
        const kind = String(row.kind) as AnnotationKind;
        const points = JSON.parse(String(row.points_json)) as Annotation['points'];
        const values = storedValues(row) ?? measureAnnotation(kind, points, spacing) ?? [];
        return {
          id: String(row.id),
          instanceId: String(row.instance_id),
          kind,
          points,
          values,
          label: formatMeasurement(kind, values),
          createdBy: String(row.created_by),
          createdAt: String(row.created_at),
        };
      });
  }

  async save(
    input: Pick<Annotation, 'instanceId' | 'kind' | 'points'>,
    who: string,
    image: MeasuredImage,
  ): Promise<Annotation> {
    const expected = POINTS_PER_KIND[input.kind];
    if (input.points.length !== expected)
      throw new AnnotationError(
        'ANNOTATION_INVALID',
        `a ${input.kind} annotation has ${expected} points, not ${input.points.length}`,
      );
    const outside = input.points.find(
      (p) => !(p.x >= 0 && p.y >= 0 && p.x <= image.columns && p.y <= image.rows),
    );
    // A zone I circle may reach past the image edge, but its two clicks lie on the image.
    if (outside)
      throw new AnnotationError(
        'ANNOTATION_INVALID',
        `point (${outside.x}, ${outside.y}) lies outside the ${image.columns}×${image.rows} image`,
      );
    const values = measureAnnotation(input.kind, input.points, image.spacing);
    if (!values)
      throw new AnnotationError(
        'ANNOTATION_INVALID',
        `these points make no ${input.kind} measurement (a line of no length, or points on top of each other)`,
      );
    const annotation: Annotation = {
      id: randomUUID(),
      instanceId: input.instanceId,
      kind: input.kind,
      points: input.points,
      values,
      label: formatMeasurement(input.kind, values),
      createdBy: who,
      createdAt: this.now().toISOString(),
    };
    this.db.transaction(() =>
      this.db.run(
        'INSERT INTO annotations (id, instance_id, kind, points_json, values_json, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [
          annotation.id,
          annotation.instanceId,
          annotation.kind,
          JSON.stringify(annotation.points),
          JSON.stringify(values),
          annotation.label,
          who,
          annotation.createdAt,
        ],
      ),
    );
    await this.audit.append({
      actor: who,
      action: 'annotate',
      subject: annotation.instanceId,
      details: { id: annotation.id, kind: annotation.kind, label: annotation.label, values },
    });
    return annotation;
  }

  /**
   * Rows saved before numbers were stored get them now, measured from their points with the
   * image's spacing (asked for only when such rows exist), stored and audited: from then on
   * the list, the signed report and its exports all carry those numbers.
   */
  async measureOlderRows(
    instanceId: string,
    spacingOf: () => Promise<FrameSpacing | undefined>,
  ): Promise<void> {
    const older = this.db.all(
      'SELECT id, label FROM annotations WHERE instance_id = ? AND values_json IS NULL',
      [instanceId],
    );
    if (!older.length) return;
    let spacing: FrameSpacing | undefined;
    try {
      spacing = await spacingOf();
    } catch {
      return; // the image cannot be read now: the rows are listed in pixels until a later read
    }
    // The reading the page sent then stays in the audit trail next to the numbers that replace it.
    const sent = new Map(older.map((row) => [String(row.id), String(row.label)]));
    const measured = this.list(instanceId, spacing).filter((a) => sent.has(a.id));
    this.db.transaction(() => {
      for (const a of measured)
        this.db.run(
          'UPDATE annotations SET values_json = ?, label = ? WHERE id = ? AND values_json IS NULL',
          [JSON.stringify(a.values), a.label, a.id],
        );
    });
    for (const a of measured)
      await this.audit.append({
        actor: 'system',
        action: 'annotate',
        subject: instanceId,
        details: {
          id: a.id,
          kind: a.kind,
          label: a.label,
          values: a.values,
          measuredFromPoints: true,
          labelAsSaved: sent.get(a.id),
        },
      });
  }

  async delete(id: string, who: string): Promise<void> {
    const row = this.db.get('SELECT instance_id, kind, label FROM annotations WHERE id = ?', [id]);
    if (!row) throw new AnnotationError('ANNOTATION_NOT_FOUND', `no annotation ${id}`);
    this.db.transaction(() => this.db.run('DELETE FROM annotations WHERE id = ?', [id]));
    await this.audit.append({
      actor: who,
      action: 'annotate',
      subject: String(row.instance_id),
      details: { id, deleted: true, kind: String(row.kind), label: String(row.label) },
    });
  }
}

/**
 * The spacing of the image as the viewer measures on it: the decoded frame's (Pixel Spacing,
 * else Imager or Nominal Scanned Pixel Spacing, PS3.3 10.7.1.3); frame 0 carries the
 * instance's, and is the frame the viewer has just shown, so it is usually cached.
 */
export async function imageSpacing(
  library: Pick<Library, 'frame'>,
  instanceId: string,
): Promise<FrameSpacing | undefined> {
  return (await library.frame(instanceId, 0)).spacing;
}

function storedValues(row: Row): MeasuredValue[] | undefined {
  return row.values_json === null || row.values_json === undefined
    ? undefined
    : (JSON.parse(String(row.values_json)) as MeasuredValue[]);
}
