import type { Paper, ResolvedTechPack, SheetLanguage } from '../../../shared/techpack';
import type { ImageSource } from './display';
import { sheetFonts } from './font';
import { renderPdf } from './pdf';
import { renderPngs } from './png';
import { layoutTechPack } from './sheets';

export type SheetFormat = 'pdf' | 'png';

export interface RenderOptions {
  format: SheetFormat;
  /** Overrides the paper the pack was resolved with (layout only; the snapshot is unchanged). */
  paper?: Paper;
  dpi?: number;
  /** PNG only: rasterise just this sheet (0-based), for previews. */
  sheet?: number;
  /** The language of the sheets' own labels (layout only; the snapshot is unchanged). Default bilingual, English first. */
  language?: SheetLanguage;
}

export const DEFAULT_PNG_DPI = 150;

/** The images a resolved pack shows, by sha256, so they can be read before drawing (pdfkit draws synchronously). */
export function imageHashes(tp: ResolvedTechPack): string[] {
  const all = [...tp.colorways.flatMap((c) => c.renders.map((r) => r.sha256)), ...tp.motifs.map((m) => m.imageSha256).filter((s): s is string => !!s)];
  return [...new Set(all)].sort();
}

/** Sheets of a resolved pack as one PDF or one PNG per sheet: a pure function of the pack, the images and the font. */
export function sheetCount(tp: ResolvedTechPack, paper?: Paper): number {
  return layoutTechPack({ ...tp, paper: paper ?? tp.paper }, sheetFonts()).set.sheets.length;
}

export async function renderTechPack(tp: ResolvedTechPack, images: ImageSource, options: RenderOptions): Promise<Buffer[]> {
  const fonts = sheetFonts();
  const paper = options.paper ?? tp.paper;
  const { set } = layoutTechPack({ ...tp, paper }, fonts, options.language);
  if (options.format === 'png') {
    const only = options.sheet !== undefined ? { ...set, sheets: set.sheets.slice(options.sheet, options.sheet + 1) } : set;
    return renderPngs(only, fonts, images, options.dpi ?? DEFAULT_PNG_DPI);
  }
  const c = tp.cover;
  const pdf = await renderPdf(set, fonts, images, {
    title: `${c.styleNumber} ${c.name}`.trim() || tp.projectName,
    author: c.designer || c.brand,
    subject: `Tech pack, revision ${tp.revision}`,
    date: new Date(tp.revisedAt),
  });
  return [pdf];
}
