import { Resvg } from '@resvg/resvg-js';
import { embedMotifArt } from './flat-svg';
import { AppError } from '../../../shared/contract';
import type { DisplayOp, ImageSource, Sheet, SheetSet } from './display';
import { imageMime } from './display';
import type { SheetFonts } from './font';

const n = (v: number): string => String(Number(v.toFixed(3)));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function opSvg(op: DisplayOp, fonts: SheetFonts, images: ImageSource): string {
  switch (op.kind) {
    case 'text': {
      const face = op.bold ? fonts.bold : fonts.regular;
      // Same face and same top-of-line convention as the PDF: baseline = top + ascent.
      return `<text x="${n(op.x)}" y="${n(op.y + face.ascent * op.size)}" font-family="${esc(face.families.map((f) => `'${f}'`).join(', '))}" font-weight="${face.weight}" font-size="${n(op.size)}" fill="${op.colour}" xml:space="preserve">${esc(op.text)}</text>`;
    }
    case 'line':
      return `<line x1="${n(op.x1)}" y1="${n(op.y1)}" x2="${n(op.x2)}" y2="${n(op.y2)}" stroke="${op.colour}" stroke-width="${n(op.width)}"${op.dash ? ` stroke-dasharray="${op.dash.map(n).join(' ')}"` : ''}/>`;
    case 'rect':
      return `<rect x="${n(op.x)}" y="${n(op.y)}" width="${n(op.w)}" height="${n(op.h)}" fill="${op.fill ?? 'none'}"${op.stroke ? ` stroke="${op.stroke}" stroke-width="${n(op.lineWidth)}"` : ''}/>`;
    case 'image': {
      const bytes = images(op.sha256);
      return `<image x="${n(op.x)}" y="${n(op.y)}" width="${n(op.w)}" height="${n(op.h)}" preserveAspectRatio="${op.contain ? 'xMidYMid meet' : 'none'}" href="data:${imageMime(bytes)};base64,${bytes.toString('base64')}"/>`;
    }
    case 'flat': {
      const inner = embedMotifArt(op.svg, images).replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '');
      return `<svg x="${n(op.x)}" y="${n(op.y)}" width="${n(op.w)}" height="${n(op.h)}" viewBox="${op.viewBox.map(n).join(' ')}" preserveAspectRatio="xMidYMid meet">${inner}</svg>`;
    }
  }
}

/** One sheet as SVG in points; the same display list the PDF is drawn from. */
export function sheetSvg(set: SheetSet, sheet: Sheet, fonts: SheetFonts, images: ImageSource): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${n(set.width)}pt" height="${n(set.height)}pt" viewBox="0 0 ${n(set.width)} ${n(set.height)}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    sheet.ops.map((op) => opSvg(op, fonts, images)).join('') +
    `</svg>`
  );
}

export const MIN_DPI = 36;
export const MAX_DPI = 600;

/** Rasterises every sheet at `dpi` with the embedded font loaded into resvg (no system fonts). */
export function renderPngs(set: SheetSet, fonts: SheetFonts, images: ImageSource, dpi: number): Buffer[] {
  if (!Number.isInteger(dpi) || dpi < MIN_DPI || dpi > MAX_DPI)
    throw new AppError('INVALID_INPUT', `DPI must be a whole number from ${MIN_DPI} to ${MAX_DPI}, not ${dpi}.`);
  return set.sheets.map((sheet) => {
    const svg = sheetSvg(set, sheet, fonts, images);
    const resvg = new Resvg(svg, {
      // The SVG is in points (72 per inch): zoom dpi/72 gives `dpi` pixels per inch of paper.
      fitTo: { mode: 'width', value: Math.round((set.width * dpi) / 72) },
      font: {
        loadSystemFonts: false,
        fontFiles: [fonts.regular.file, fonts.bold.file],
        defaultFontFamily: fonts.regular.families[0]!,
        sansSerifFamily: fonts.regular.families[0]!,
      },
    });
    return Buffer.from(resvg.render().asPng());
  });
}
