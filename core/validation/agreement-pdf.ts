/**
 * The site validation as a PDF: the same lines the CLI prints (agreement-text.ts), on A4
 * pages in Helvetica, long lines wrapped, each page numbered. Characters the standard font
 * cannot encode are spelled in ASCII, so a reason quoted from elsewhere never breaks it.
 */
import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { validationLines } from './agreement-text.ts';
import type { SiteValidation } from './site-validation.ts';

const PAGE = { width: 595.28, height: 841.89, margin: 48 };
const SIZE = 8.5;
const LEADING = 11;

const SPELLED: Record<string, string> = { '−': '-', '–': '-', '—': '-', '…': '...', κ: 'kappa' };

function printable(text: string): string {
  return [...text].map((ch) => SPELLED[ch] ?? (/^[\x20-\x7e]$/.test(ch) ? ch : '?')).join('');
}

/** Splits at spaces so each piece fits the width; a word longer than the line is cut. */
function wrap(text: string, font: PDFFont, width: number): string[] {
  const indent = /^\s*/.exec(text)![0];
  const out: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    const next = line ? `${line} ${word}` : `${out.length ? `${indent}    ` : indent}${word}`;
    if (font.widthOfTextAtSize(next, SIZE) <= width || !line) line = next;
    else {
      out.push(line);
      line = `${indent}    ${word}`;
    }
  }
  out.push(line);
  return out;
}

export async function validationPdf(v: SiteValidation, title: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(title));
  doc.setProducer('NeoScope');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = PAGE.width - 2 * PAGE.margin;
  const lines = [printable(title), '', ...validationLines(v).map(printable)];
  let page = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  for (const [index, text] of lines.entries()) {
    const heading = index === 0 || /^\S/.test(text);
    for (const piece of text ? wrap(text, heading ? bold : font, width) : ['']) {
      if (y < PAGE.margin + LEADING) {
        page = doc.addPage([PAGE.width, PAGE.height]);
        y = PAGE.height - PAGE.margin;
      }
      page.drawText(piece, { x: PAGE.margin, y, size: SIZE, font: heading ? bold : font });
      y -= LEADING;
    }
  }
  const pages = doc.getPages();
  pages.forEach((p, i) =>
    p.drawText(`page ${i + 1} of ${pages.length}`, {
      x: PAGE.width - PAGE.margin - 60,
      y: PAGE.margin / 2,
      size: 7,
      font,
    }),
  );
  return doc.save();
}
