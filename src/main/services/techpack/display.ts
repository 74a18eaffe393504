/**
 * A laid-out sheet as a small display list in PDF points (1/72 in, origin top left). The layout is
 * computed once and drawn twice, into pdfkit and into an SVG for resvg, so the PDF and the PNG
 * sheets cannot drift apart. Text is already positioned (alignment resolved from the font's advance
 * widths): `y` is the top of the line box, the baseline is y + ascent * size.
 */
export type DisplayOp =
  | { kind: 'text'; x: number; y: number; size: number; text: string; bold: boolean; colour: string }
  | { kind: 'line'; x1: number; y1: number; x2: number; y2: number; width: number; colour: string; dash: number[] | null }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string | null; stroke: string | null; lineWidth: number }
  /** `contain`: keep the image's own aspect ratio inside the box (for images whose size the layout does not know). */
  | { kind: 'image'; x: number; y: number; w: number; h: number; sha256: string; contain: boolean }
  /** A flat view as SVG, drawn as vector paths into the box (aspect ratio kept, centred). */
  | { kind: 'flat'; x: number; y: number; w: number; h: number; svg: string; viewBox: [number, number, number, number] };

export interface Sheet {
  title: string;
  ops: DisplayOp[];
}

export interface SheetSet {
  /** Page size in points. */
  width: number;
  height: number;
  sheets: Sheet[];
}

/** Image bytes by sha256 (from the library's file store). */
export type ImageSource = (sha256: string) => Buffer;

/** Fits a w x h box with the aspect ratio of vw x vh, centred: x, y, width, height. */
export function fitBox(x: number, y: number, w: number, h: number, vw: number, vh: number): [number, number, number, number] {
  const scale = Math.min(w / vw, h / vh);
  const fw = vw * scale;
  const fh = vh * scale;
  return [x + (w - fw) / 2, y + (h - fh) / 2, fw, fh];
}

export function imageMime(bytes: Buffer): 'image/png' | 'image/jpeg' {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  return 'image/png';
}
