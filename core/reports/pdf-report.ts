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
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { AuditCheckpoint } from '../audit/audit-log.ts';
import type { SignedReport } from './signed-reports.ts';
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

/** Standard PDF fonts speak WinAnsi: map the few typographic characters reports use. */
export function pdfText(text: string): string {
  return text
    .replace(/[≥]/g, '>=')
    .replace(/[≤]/g, '<=')
    .replace(/[–—]/g, '-')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\x20-\x7e\xa0-\xff\n]/g, '?');
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
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

  line(
    text: string,
    options: { size?: number; bold?: boolean; x?: number; colour?: [number, number, number] } = {},
  ): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.font;
    const width = A4.width - MARGIN - (options.x ?? MARGIN);
    // Wrap on spaces to the printable width.
    const words = pdfText(text).split(' ');
    let current = '';
    const lines: string[] = [];
    for (const word of words) {
      const next = current ? `${current} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width && current) {
        lines.push(current);
        current = word;
      } else current = next;
    }
    lines.push(current);
    for (const l of lines) {
      this.ensure(size + 4);
      this.page.drawText(l, {
        x: options.x ?? MARGIN,
        y: this.y - size,
        size,
        font,
        color: rgb(...(options.colour ?? [0, 0, 0])),
      });
      this.y -= size + 4;
    }
  }

  /** One table row: each cell wraps within its column; the row is as tall as its tallest cell. */
  row(
    cells: { text: string; x: number; width: number }[],
    options: { size?: number; bold?: boolean } = {},
  ): void {
    const size = options.size ?? 9;
    const font = options.bold ? this.bold : this.font;
    const wrapped = cells.map((cell) => {
      const lines: string[] = [];
      let current = '';
      for (const word of pdfText(cell.text).split(' ')) {
        const next = current ? `${current} ${word}` : word;
        if (font.widthOfTextAtSize(next, size) > cell.width && current) {
          lines.push(current);
          current = word;
        } else current = next;
      }
      lines.push(current);
      return lines;
    });
    const height = Math.max(...wrapped.map((l) => l.length)) * (size + 3) + 3;
    this.ensure(height);
    wrapped.forEach((lines, c) =>
      lines.forEach((l, i) =>
        this.page.drawText(l, { x: cells[c]!.x, y: this.y - size - i * (size + 3), size, font }),
      ),
    );
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

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '-' : String(value);
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
  const w = new Writer(doc, regular, await doc.embedFont(StandardFonts.HelveticaBold));

  w.line(
    report.content.domain === 'retina' ? 'ROP screening report' : 'Neonatal chest film report',
    { size: 16, bold: true },
  );
  w.line(
    `Patient ${study.patientName.replace(/\^/g, ' ') || '(name not part of this signed report)'} - ID ${study.patientId} - born ${study.patientBirthDate || 'unknown'} - sex ${study.patientSex || 'unknown'}`,
  );
  w.line(
    `Study ${study.studyDate} ${study.studyTime} - accession ${study.accessionNumber || '-'} - study UID ${study.studyInstanceUid}`,
  );
  w.line(
    `Report ${report.content.reportId}, version ${report.version}${report.amends ? ` (amends version ${report.amends.version}: ${report.amends.reason})` : ''}`,
  );
  w.gap();

  w.line('Findings', { size: 12, bold: true });
  const columns = (a: string, b: string, c: string) => [
    { text: a, x: MARGIN, width: 120 },
    { text: b, x: MARGIN + 128, width: 200 },
    { text: c, x: MARGIN + 336, width: A4.width - 2 * MARGIN - 336 },
  ];
  w.row(columns('Field', 'AI value (model, confidence)', 'Reader'), { bold: true });
  for (const f of report.content.fields) {
    const ai = f.ai
      ? `${f.ai.value} (${f.ai.model.id} ${f.ai.model.version}${f.ai.confidence !== undefined ? `, confidence ${f.ai.confidence.toFixed(2)}` : ''})`
      : '-';
    const verdict =
      !f.ai || f.reader === null
        ? ''
        : String(f.ai.value) === String(f.reader)
          ? ' (accepted AI)'
          : ' (corrected AI)';
    w.row(columns(f.field.replace(/_/g, ' '), ai, `${shown(f.reader)}${verdict}`));
  }
  if (report.content.freeText) {
    w.gap(4);
    w.line('Comment', { bold: true });
    w.line(report.content.freeText);
  }
  if (report.content.measurements?.length) {
    w.gap(4);
    w.line('Measurements on the images', { bold: true });
    for (const m of report.content.measurements)
      w.line(
        `${MEASUREMENT_NAMES[m.kind] ?? m.kind}: ${m.label} - by ${m.by}, ${m.at.slice(0, 16).replace('T', ' ')}`,
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
    w.line(image.caption, { size: 8, colour: [0.3, 0.3, 0.3] });
    w.gap(4);
  }

  if (models.length) {
    w.line('Models behind the AI values', { size: 12, bold: true });
    for (const m of models) {
      w.line(
        `${m.name} - ${m.id} ${m.version} - sha256 ${m.sha256.slice(0, 16)}...${m.investigational ? ' - INVESTIGATIONAL' : ''}`,
        { size: 9 },
      );
      w.line(m.intendedUse, { size: 8, x: MARGIN + 12, colour: [0.3, 0.3, 0.3] });
    }
    w.gap();
  }
  w.line('AI values assist; the signing specialist made every finding above.', {
    size: 9,
    colour: [0.3, 0.3, 0.3],
  });
  w.gap(4);
  w.line('Signature', { size: 12, bold: true });
  w.line(`Electronically signed by ${report.signer}`);
  w.line(`Signed ${report.signedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}`);
  w.line(`Content hash sha256:${report.contentHash}`, { size: 8 });
  if (report.signature)
    w.line(
      `Ed25519 signature by ${report.signature.username}, key fingerprint ${report.signature.keyFingerprint}`,
      { size: 8 },
    );
  else w.line('Signed before per-signer keys: content hash and audit log only', { size: 8 });
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
