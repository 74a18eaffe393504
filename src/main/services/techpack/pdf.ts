import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { embedMotifArt } from './flat-svg';
import type { DisplayOp, ImageSource, SheetSet } from './display';
import type { SheetFonts } from './font';

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** The revision's date: CreationDate, ModDate and (through them) the file ID, so output is stable. */
  date: Date;
}

const REGULAR = 'Sheet-Regular';
const BOLD = 'Sheet-Bold';

function drawOp(doc: PDFKit.PDFDocument, op: DisplayOp, images: ImageSource): void {
  switch (op.kind) {
    case 'text':
      doc
        .font(op.bold ? BOLD : REGULAR)
        .fontSize(op.size)
        .fillColor(op.colour)
        .text(op.text, op.x, op.y, { lineBreak: false });
      return;
    case 'line':
      doc.save().moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).lineWidth(op.width).strokeColor(op.colour);
      if (op.dash) doc.dash(op.dash[0]!, { space: op.dash[1] ?? op.dash[0]! });
      doc.stroke().restore();
      return;
    case 'rect':
      doc.save().rect(op.x, op.y, op.w, op.h).lineWidth(op.lineWidth);
      if (op.fill && op.stroke) doc.fillAndStroke(op.fill, op.stroke);
      else if (op.fill) doc.fill(op.fill);
      else if (op.stroke) doc.stroke(op.stroke);
      doc.restore();
      return;
    case 'image':
      if (op.contain) doc.image(images(op.sha256), op.x, op.y, { fit: [op.w, op.h], align: 'center', valign: 'center' });
      else doc.image(images(op.sha256), op.x, op.y, { width: op.w, height: op.h });
      return;
    case 'flat':
      // Vector: every path of the flat becomes PDF path operators; callout text stays real text.
      SVGtoPDF(doc, embedMotifArt(op.svg, images), op.x, op.y, {
        width: op.w,
        height: op.h,
        preserveAspectRatio: 'xMidYMid meet',
        assumePt: true,
        fontCallback: (_family, bold) => (bold ? BOLD : REGULAR),
      });
      return;
  }
}

/**
 * Draws the sheets into a PDF. Text is real text in the embedded (subset) CJK font, so it can be
 * selected and extracted; fixed dates and a fixed object order make the bytes depend on the sheets
 * alone.
 */
export function renderPdf(set: SheetSet, fonts: SheetFonts, images: ImageSource, meta: PdfMeta): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [set.width, set.height],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    pdfVersion: '1.7',
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject,
      Creator: 'Jinxiu Studio',
      Producer: 'Jinxiu Studio (pdfkit)',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  doc.registerFont(REGULAR, fonts.regular.bytes);
  doc.registerFont(BOLD, fonts.bold.bytes);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const sheet of set.sheets) {
    doc.addPage({ size: [set.width, set.height], margin: 0 });
    for (const op of sheet.ops) drawOp(doc, op, images);
  }
  doc.end();
  return done;
}
