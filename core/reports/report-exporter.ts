/**
 * The exports of a signed report: its PDF (with the images at print size and the audit
 * checkpoint in the footer), its DICOM Structured Report and the Secondary Captures of its
 * overlays. Only the verified frozen report is rendered (hash, signature, sign-off in the audit
 * chain), and only while its images are still in the library. Each export a person asks for is
 * audited; the files a results package carries are audited by that package.
 */
import sharp, { type Sharp } from 'sharp';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DecodedFrame } from '../base/schemas.ts';
import { displayBytes } from '../imaging/frame-display.ts';
import { studyContextOf } from './frozen-study.ts';
import { buildPdfReport, type ModelSummary, type ReportImage } from './pdf-report.ts';
import { buildSecondaryCapture } from './secondary-capture.ts';
import type { SignedReport, SignedReportStore } from './signed-reports.ts';
import { buildStructuredReport } from './structured-report.ts';

/** Images in the PDF are drawn at most this wide: the page, not the acquisition, sets the size. */
const PRINT_WIDTH_PX = 800;

export interface ReportExporterDeps {
  reports: Pick<SignedReportStore, 'readVerified'>;
  audit: AuditLog;
  /** A stored object (an overlay PNG) by its SHA-256. */
  objectBytes: (sha256: string) => Promise<Uint8Array>;
  /** Frame 0 of an image; throws NOT_FOUND when the library no longer holds it. */
  frame: (instanceId: string) => Promise<DecodedFrame>;
  /** Throws NOT_FOUND when the library no longer holds the image. */
  requireImage: (instanceId: string) => void;
  /** Name, intended use and status of the models the report names, as installed now. */
  describeModels: (report: SignedReport) => Promise<ModelSummary[]>;
}

export interface ExportedFile {
  fileName: string;
  bytes: Uint8Array<ArrayBuffer>;
}

async function printSize(png: Uint8Array | Sharp): Promise<Uint8Array> {
  const image = png instanceof Uint8Array ? sharp(png) : png;
  return new Uint8Array(
    await image.resize({ width: PRINT_WIDTH_PX, withoutEnlargement: true }).png().toBuffer(),
  );
}

export class ReportExporter {
  constructor(private readonly deps: ReportExporterDeps) {}

  private async verified(reportId: string, version: number): Promise<SignedReport> {
    const report = await this.deps.reports.readVerified(reportId, version);
    report.content.instanceIds.forEach((id) => this.deps.requireImage(id));
    return report;
  }

  /** The overlays first (what the models drew), then each image no overlay shows, as drawn. */
  private async images(report: SignedReport): Promise<ReportImage[]> {
    const { content } = report;
    const overlays = content.overlays ?? [];
    const named = (instanceId: string) =>
      content.study?.images.find((i) => i.instanceId === instanceId);
    const images: ReportImage[] = [];
    for (const overlay of overlays)
      images.push({
        caption: `${named(overlay.instanceId)?.fileName ?? `image ${overlay.instanceId.slice(0, 12)}`}: ${overlay.description}`,
        png: await printSize(await this.deps.objectBytes(overlay.png)),
      });
    for (const instanceId of content.instanceIds.filter(
      (id) => !overlays.some((o) => o.instanceId === id),
    )) {
      const frame = await this.deps.frame(instanceId);
      const { channels, data } = displayBytes(frame);
      const image = named(instanceId);
      images.push({
        caption: image
          ? `${image.fileName} - ${image.modality || 'photo'} ${image.laterality ? `(${image.laterality})` : ''}`
          : `image ${instanceId.slice(0, 12)}`,
        png: await printSize(
          sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
            raw: { width: frame.columns, height: frame.rows, channels },
          }),
        ),
      });
    }
    return images;
  }

  private async pdfOf(report: SignedReport): Promise<{
    bytes: Uint8Array<ArrayBuffer>;
    checkpoint: Awaited<ReturnType<AuditLog['checkpoint']>>;
  }> {
    const checkpoint = await this.deps.audit.checkpoint();
    const bytes = await buildPdfReport(
      report,
      studyContextOf(report),
      await this.images(report),
      await this.deps.describeModels(report),
      { checkpoint },
    );
    return { bytes: new Uint8Array(bytes), checkpoint };
  }

  /** The PDF a person asked for; audited with the checkpoint its footer shows. */
  async pdf(reportId: string, version: number, actor: string): Promise<ExportedFile> {
    const report = await this.verified(reportId, version);
    const { bytes, checkpoint } = await this.pdfOf(report);
    await this.deps.audit.appendEmitted(
      { actor, action: 'export', subject: reportId, details: { version, format: 'pdf' } },
      checkpoint,
    );
    return { fileName: `${reportId}-v${version}.pdf`, bytes };
  }

  /** The SR and a Secondary Capture per overlay, as a person asked for them; audited. */
  async dicom(
    reportId: string,
    version: number,
    actor: string,
  ): Promise<ExportedFile & { captures: ExportedFile[] }> {
    const report = await this.verified(reportId, version);
    const study = studyContextOf(report);
    const bytes = buildStructuredReport(report, study);
    const captures: ExportedFile[] = [];
    for (const [n, overlay] of (report.content.overlays ?? []).entries()) {
      const source = report.content.study?.images.find((i) => i.instanceId === overlay.instanceId);
      const { data: rgb, info } = await sharp(await this.deps.objectBytes(overlay.png))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const capture = buildSecondaryCapture(
        {
          width: info.width,
          height: info.height,
          rgb: new Uint8Array(rgb),
          description: overlay.description,
          ...(source?.sopInstanceUid
            ? { source: { sopClassUid: source.sopClassUid, sopInstanceUid: source.sopInstanceUid } }
            : {}),
        },
        study,
        { operator: report.signer, instanceNumber: n + 1 },
      );
      captures.push({
        fileName: `${reportId}-v${version}-overlay-${n + 1}.dcm`,
        bytes: new Uint8Array(capture),
      });
    }
    await this.deps.audit.append({
      actor,
      action: 'export',
      subject: reportId,
      details: { version, format: 'dicom-sr', captures: captures.length },
    });
    return { fileName: `${reportId}-v${version}-sr.dcm`, bytes: new Uint8Array(bytes), captures };
  }

  /**
   * The SR and the PDF a results package carries: built like the exports above, without
   * Secondary Captures (the package has no place for them) and without an audit entry of
   * their own: the package's export entry names every report it carries, and its checkpoint,
   * taken after these PDFs', is the one recorded as having left the machine.
   */
  async forResults(
    reportId: string,
    version: number,
  ): Promise<{ sr: Uint8Array<ArrayBuffer>; pdf: Uint8Array<ArrayBuffer> }> {
    const report = await this.verified(reportId, version);
    const sr = new Uint8Array(buildStructuredReport(report, studyContextOf(report)));
    return { sr, pdf: (await this.pdfOf(report)).bytes };
  }
}
