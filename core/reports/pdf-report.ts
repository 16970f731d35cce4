/**
 * The signed report as PDF (pdf-lib): header with patient and study, each graded field
 * with the AI value (model, version, confidence) beside the reader's, the reader's text,
 * the images with their overlays, the models behind the AI values in short, and the
 * signature block with the content hash and the signer's key fingerprint, and on every page
 * a footer with the audit checkpoint (entries and last hash of the audit chain when the PDF
 * was made), which leaves the machine with the PDF. A4, standard fonts, no external
 * resources. Everything printed comes from the verified frozen report (patient and study
 * included); the caller reads it through SignedReportStore.readVerified.
 */
import { PDFDocument, StandardFonts, rgb, type PDFPage } from 'pdf-lib';
import type { AuditCheckpoint } from '../audit/audit-log.ts';
import { formatMeasurement } from '../measurements/geometry/format.ts';
import type { SignedReport } from './signed-reports.ts';
import { fieldLines, headerLines, type FieldLine } from './report-text.ts';
import { embedReportFonts, type ReportFonts } from './pdf-fonts.ts';
import type { StudyContext } from './structured-report.ts';

export interface ReportImage {
  caption: string;
  png: Uint8Array;
}

export interface ModelSummary {
  id: string;
  version: string;
  sha256: string;
  name: string;
  investigational: boolean;
  intendedUse: string;
}

/**
 * The few typographic characters reports use, written plainly so the text reads (and
 * searches) the same in every viewer; names and free text in any script are kept and drawn
 * with the report fonts (pdf-fonts.ts).
 */
export function pdfText(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[–—]/g, '-')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"');
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: ReportFonts,
  ) {
    this.page = doc.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.doc.addPage([A4.width, A4.height]);
      this.y = A4.height - MARGIN;
    }
  }

  async line(
    text: string,
    options: { size?: number; bold?: boolean; x?: number; colour?: [number, number, number] } = {},
  ): Promise<void> {
    const size = options.size ?? 10;
    const bold = Boolean(options.bold);
    const width = A4.width - MARGIN - (options.x ?? MARGIN);
    for (const l of this.wrap(text, size, bold, width)) {
      this.ensure(size + 4);
      await this.fonts.drawText(this.page, l, {
        x: options.x ?? MARGIN,
        y: this.y - size,
        size,
        bold,
        color: rgb(...(options.colour ?? [0, 0, 0])),
      });
      this.y -= size + 4;
    }
  }

  /** Wraps on spaces to the width; a line break in the text starts a new line. */
  private wrap(text: string, size: number, bold: boolean, width: number): string[] {
    return pdfText(text)
      .split('\n')
      .flatMap((paragraph) => {
        const lines: string[] = [];
        let current = '';
        for (const word of paragraph.split(' ')) {
          const next = current ? `${current} ${word}` : word;
          if (this.fonts.widthOfText(next, size, { bold }) > width && current) {
            lines.push(current);
            current = word;
          } else current = next;
        }
        lines.push(current);
        return lines;
      });
  }

  /** One table row: each cell wraps within its column; the row is as tall as its tallest cell. */
  async row(
    cells: { text: string; x: number; width: number }[],
    options: { size?: number; bold?: boolean } = {},
  ): Promise<void> {
    const size = options.size ?? 9;
    const bold = Boolean(options.bold);
    // Each cell wraps within its column; the row is as tall as its tallest cell.
    const wrapped = cells.map((cell) => this.wrap(cell.text, size, bold, cell.width));
    const height = Math.max(...wrapped.map((l) => l.length)) * (size + 3) + 3;
    this.ensure(height);
    for (const [c, lines] of wrapped.entries())
      for (const [i, l] of lines.entries())
        await this.fonts.drawText(this.page, l, {
          x: cells[c]!.x,
          y: this.y - size - i * (size + 3),
          size,
          bold,
        });
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - height + 1 },
      end: { x: A4.width - MARGIN, y: this.y - height + 1 },
      thickness: 0.3,
      color: rgb(0.7, 0.7, 0.7),
    });
    this.y -= height + 2;
  }

  gap(h = 8): void {
    this.y -= h;
  }
}

const MEASUREMENT_NAMES: Record<string, string> = {
  length: 'Length',
  angle: 'Angle',
  ctr: 'Cardiothoracic ratio',
  'disc-ruler': 'Disc diameter',
  'zone-i': 'ICROP zone I',
};

export function checkpointLine(checkpoint: AuditCheckpoint): string {
  return `Audit checkpoint: ${checkpoint.entries} entries, hash ${checkpoint.hash}, ${checkpoint.time.replace(/\.\d+Z$/, 'Z')}`;
}

export async function buildPdfReport(
  report: SignedReport,
  study: StudyContext,
  images: ReportImage[],
  models: ModelSummary[],
  options: { checkpoint?: AuditCheckpoint } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`NeoScope report ${report.content.reportId} v${report.version}`);
  doc.setProducer('NeoScope');
  doc.setCreationDate(new Date(report.signedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const w = new Writer(doc, await embedReportFonts(doc));

  const { content } = report;
  await w.line(
    content.domain === 'retina' ? 'ROP screening report' : 'Neonatal chest film report',
    {
      size: 16,
      bold: true,
    },
  );
  for (const line of headerLines(content, study)) await w.line(line);
  await w.line(
    `Report ${content.reportId}, version ${report.version}${report.amends ? ` (amends version ${report.amends.version}: ${report.amends.reason})` : ''}`,
    { size: 8, colour: [0.3, 0.3, 0.3] },
  );
  w.gap();

  const a = content.assessment;
  if (a) {
    await w.line('Summary', { size: 12, bold: true });
    await w.line(a.summary, { bold: true });
    for (const eye of a.eyes)
      await w.line(
        `${eye.eye === 'OD' ? 'OD (right eye)' : 'OS (left eye)'}: ETROP ${eye.etrop.category}${eye.etrop.treatmentWarranted ? ' - treatment warranted' : ''}. ${eye.etrop.rule}.`,
        { size: 9 },
      );
    await w.line(
      `Next exam: ${a.followUp.label}${a.nextExamDate ? `, due by ${a.nextExamDate}` : ''}${a.followUp.byReader ? " (the reader's choice)" : ''}. ${a.followUp.rule}.`,
      { size: 9 },
    );
    w.gap(4);
  }

  await w.line('Findings', { size: 12, bold: true });
  const lines = fieldLines(content);
  const cell = (l: FieldLine | undefined) =>
    l ? `${l.reader}${l.verdict ? ` (${l.verdict})` : ''}${l.ai ? `\nAI ${l.ai}` : ''}` : '';
  if (content.domain === 'retina') {
    const third = (A4.width - 2 * MARGIN - 140) / 2;
    const columns = (x: string, od: string, os: string) => [
      { text: x, x: MARGIN, width: 134 },
      { text: od, x: MARGIN + 140, width: third - 8 },
      { text: os, x: MARGIN + 140 + third, width: third - 8 },
    ];
    await w.row(columns('ICROP3', 'OD (right eye)', 'OS (left eye)'), { bold: true });
    for (const od of lines.filter((l) => l.eye === 'OD')) {
      const os = lines.find((l) => l.eye === 'OS' && l.key === od.key);
      if (od.reader === 'not recorded' && !od.ai && os?.reader === 'not recorded' && !os.ai)
        continue; // an empty row says nothing
      await w.row(columns(od.label, cell(od), cell(os)));
    }
    for (const l of lines.filter((l) => !l.eye && l.reader !== 'not recorded'))
      await w.row(columns(l.label, cell(l), ''));
  } else {
    const columns = (x: string, v: string) => [
      { text: x, x: MARGIN, width: 180 },
      { text: v, x: MARGIN + 188, width: A4.width - 2 * MARGIN - 188 },
    ];
    await w.row(columns('Finding', 'Reader (AI value, model)'), { bold: true });
    for (const l of lines) await w.row(columns(l.label, cell(l)));
  }
  if (report.content.freeText) {
    w.gap(4);
    await w.line('Comment', { bold: true });
    await w.line(report.content.freeText);
  }
  if (report.content.measurements?.length) {
    w.gap(4);
    await w.line('Measurements on the images', { bold: true });
    // The reading is rendered from the frozen numbers (reports signed before numbers were kept: the frozen reading).
    for (const m of report.content.measurements)
      await w.line(
        `${MEASUREMENT_NAMES[m.kind] ?? m.kind}: ${m.values ? formatMeasurement(m.kind, m.values) : m.label} - by ${m.by}, ${m.at.slice(0, 16).replace('T', ' ')}`,
        { size: 9 },
      );
  }
  w.gap();

  for (const image of images) {
    const png = await doc.embedPng(image.png);
    const scale = Math.min((A4.width - 2 * MARGIN) / png.width, 260 / png.height, 1);
    w.ensure(png.height * scale + 20);
    w.page.drawImage(png, {
      x: MARGIN,
      y: w.y - png.height * scale,
      width: png.width * scale,
      height: png.height * scale,
    });
    w.y -= png.height * scale + 4;
    await w.line(image.caption, { size: 8, colour: [0.3, 0.3, 0.3] });
    w.gap(4);
  }

  if (models.length) {
    await w.line('Models behind the AI values', { size: 12, bold: true });
    for (const m of models) {
      await w.line(
        `${m.name} - ${m.id} ${m.version} - sha256 ${m.sha256.slice(0, 16)}...${m.investigational ? ' - INVESTIGATIONAL' : ''}`,
        { size: 9 },
      );
      await w.line(m.intendedUse, { size: 8, x: MARGIN + 12, colour: [0.3, 0.3, 0.3] });
    }
    w.gap();
  }
  await w.line('AI values assist; the signing specialist made every finding above.', {
    size: 9,
    colour: [0.3, 0.3, 0.3],
  });
  w.gap(4);
  await w.line('Signature', { size: 12, bold: true });
  await w.line(`Electronically signed by ${report.signer}`);
  await w.line(`Signed ${report.signedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`);
  await w.line(`Content hash sha256:${report.contentHash}`, { size: 8 });
  if (report.signature)
    await w.line(
      `Ed25519 signature by ${report.signature.username}, key fingerprint ${report.signature.keyFingerprint}`,
      { size: 8 },
    );
  else await w.line('Signed before per-signer keys: content hash and audit log only', { size: 8 });
  if (options.checkpoint) {
    const pages = doc.getPages();
    pages.forEach((page, i) => {
      page.drawText(
        pdfText(`${checkpointLine(options.checkpoint!)} - page ${i + 1} of ${pages.length}`),
        { x: MARGIN, y: 22, size: 6.5, font: regular, color: rgb(0.35, 0.35, 0.35) },
      );
    });
  }
  return doc.save();
}
