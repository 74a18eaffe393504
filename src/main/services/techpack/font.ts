import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { AppError } from '../../../shared/contract';

/**
 * The sheets are set in Noto Sans SC (Noto Sans CJK, simplified Chinese) as shipped by the npm
 * package @embedpdf/fonts-sc: full OpenType (CFF) files under the OFL, Latin and CJK in one face, so
 * one embedded font renders both languages and the app needs nothing from the system. The
 * @fontsource packages ship only unicode-range woff2 slices, which would make every string a
 * patchwork of fonts. JINXIU_CJK_FONT (and JINXIU_CJK_FONT_BOLD) may point at another OTF/TTF.
 */
export interface SheetFace {
  /** Absolute path of the OTF/TTF; pdfkit and resvg both load this very file. */
  file: string;
  bytes: Buffer;
  sha256: string;
  font: fontkit.Font;
  /** Family names resvg may match `font-family` against (typographic family first), and the weight. */
  families: string[];
  weight: number;
  /** Ascender as a fraction of the font size: pdfkit places text by its top, SVG by its baseline. */
  ascent: number;
  descent: number;
}

export interface SheetFonts {
  regular: SheetFace;
  bold: SheetFace;
}

const require = createRequire(import.meta.url);

function packagedFontDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
  } catch {
    return null;
  }
}

/** A couple of CJK glyphs and the symbols the sheets print, checked so a Latin-only font is refused. */
const REQUIRED = ['锦', '绣', '领', '±', '°'];

function loadFace(file: string): SheetFace {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new AppError('NOT_FOUND', `The tech-pack font ${file} cannot be read: ${(e as Error).message}`);
  }
  const font = fontkit.create(bytes);
  const missing = REQUIRED.filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
  if (missing.length)
    throw new AppError('INVALID_INPUT', `The tech-pack font ${file} has no glyph for ${missing.join(' ')}; a CJK font (Noto Sans SC/CJK) is needed.`);
  return {
    file,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    font,
    families: [...new Set([font.name.records.preferredFamily?.en, font.familyName].filter((f): f is string => !!f))],
    weight: font['OS/2'].usWeightClass,
    ascent: font.ascent / font.unitsPerEm,
    descent: -font.descent / font.unitsPerEm,
  };
}

let cached: SheetFonts | null = null;

/** Finds and loads the sheet fonts once per process; a clear error says what to install when none is found. */
export function sheetFonts(): SheetFonts {
  if (cached) return cached;
  const dir = packagedFontDir();
  const regular = process.env.JINXIU_CJK_FONT ?? (dir ? path.join(dir, 'NotoSansHans-Regular.otf') : null);
  const bold = process.env.JINXIU_CJK_FONT_BOLD ?? process.env.JINXIU_CJK_FONT ?? (dir ? path.join(dir, 'NotoSansHans-Bold.otf') : null);
  if (!regular || !bold || !fs.existsSync(regular) || !fs.existsSync(bold))
    throw new AppError(
      'NOT_FOUND',
      'No CJK font for tech-pack sheets: the package @embedpdf/fonts-sc is missing (run npm install) and JINXIU_CJK_FONT names no OTF/TTF file.',
    );
  cached = { regular: loadFace(regular), bold: loadFace(bold) };
  return cached;
}

/** Width of `text` set in `face` at `size` (points), from the font's own advance widths. */
export function textWidth(face: SheetFace, text: string, size: number): number {
  if (!text) return 0;
  return (face.font.layout(text).advanceWidth / face.font.unitsPerEm) * size;
}
