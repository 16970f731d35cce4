/**
 * Measurements a reader saves with a study (length, angle, cardiothoracic ratio, the
 * optic-disc ruler and the ICROP zone I circle): points in image pixels, the reading as
 * shown when saved, who and when. Saving and deleting are audited like report edits.
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../api/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Database } from '../store/database.ts';
import { POINTS_PER_KIND, type Annotation, type AnnotationKind } from '../api/contract-worklist.ts';

export { POINTS_PER_KIND, type Annotation, type AnnotationKind };

export class AnnotationError extends CodedError<'ANNOTATION_INVALID' | 'ANNOTATION_NOT_FOUND'> {}

export class AnnotationStore {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(instanceId: string): Annotation[] {
    return this.db
      .all('SELECT * FROM annotations WHERE instance_id = ? ORDER BY created_at, id', [instanceId])
      .map((row) => ({
        id: String(row.id),
        instanceId: String(row.instance_id),
        kind: String(row.kind) as AnnotationKind,
        points: JSON.parse(String(row.points_json)) as Annotation['points'],
        label: String(row.label),
        createdBy: String(row.created_by),
        createdAt: String(row.created_at),
      }));
  }

  async save(
    input: Pick<Annotation, 'instanceId' | 'kind' | 'points' | 'label'>,
    who: string,
    image: { columns: number; rows: number },
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
    const annotation: Annotation = {
      ...input,
      id: randomUUID(),
      createdBy: who,
      createdAt: this.now().toISOString(),
    };
    this.db.transaction(() =>
      this.db.run(
        'INSERT INTO annotations (id, instance_id, kind, points_json, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
          annotation.id,
          annotation.instanceId,
          annotation.kind,
          JSON.stringify(annotation.points),
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
      details: { id: annotation.id, kind: annotation.kind, label: annotation.label },
    });
    return annotation;
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
