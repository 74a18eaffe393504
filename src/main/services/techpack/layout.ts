import { issue, type PreflightIssue, type PreflightTarget } from '../../../shared/techpack';
import type { Paper } from '../../../shared/techpack';
import type { DisplayOp, Sheet, SheetSet } from './display';
import { textWidth, type SheetFonts } from './font';
import { clampLines, ellipsize, wrapText } from './text-layout';

/** Landscape page sizes in points. */
export const PAGE_SIZES: Readonly<Record<Paper, { width: number; height: number }>> = {
  a4: { width: 841.89, height: 595.28 },
  letter: { width: 792, height: 612 },
};

export const MARGIN = 28;
export const HEADER_H = 40;
export const FOOTER_H = 22;
export const INK = '#1a1a1a';
export const MUTED = '#666666';
export const RULE = '#b8b8b8';
export const BAND = '#f1efe9';

/**
 * What to do with text longer than its box. Text the technician types in the tech pack is an
 * 'error' (preflight refuses the export and links to the field); text from elsewhere that the pack
 * cannot change (render prompts, museum sources, callouts drawn on the flat) is cut with an
 * 'ellipsis'; text the pack can override (a motif's caption) is cut and a 'warn'ing links to where.
 */
export type WhenLong = 'error' | 'ellipsis' | 'warn';

export interface TextOptions {
  bold?: boolean;
  colour?: string;
  align?: 'left' | 'center' | 'right';
  /** The box the text must fit; what happens to wider text is `whenLong`'s (an overflow of `target` by default). */
  width?: number;
  target?: PreflightTarget;
  whenLong?: WhenLong;
}

/** Where an overflow is reported and what to call the text in the message. */
export interface Target extends PreflightTarget {
  label: string;
  /** Said after a truncation warning: where a shorter text can be given. */
  hint?: string;
}

const excerpt = (text: string) => {
  const chars = Array.from(text);
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : text;
};

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableRow {
  cells: string[];
  target: Target;
  bold?: boolean[];
  /** A colour chip drawn before the text of cell `chip.cell`. */
  chip?: { cell: number; hex: string };
}

/**
 * Lays sheets out: page frame (header band, footer), text measured with the embedded font, wrapped
 * paragraphs and paginated tables. Text that does not fit its box becomes a TEXT_OVERFLOW error or
 * a TEXT_TRUNCATED warning pointing at the item it came from (see WhenLong), so preflight can say
 * what to fix and where.
 */
export class SheetBuilder {
  readonly width: number;
  readonly height: number;
  readonly sheets: Sheet[] = [];
  readonly issues: PreflightIssue[] = [];
  private current: Sheet | null = null;
  /** Flow cursor of the current sheet. */
  y = 0;

  constructor(
    readonly fonts: SheetFonts,
    paper: Paper,
    private readonly header: { left: string; right: string },
  ) {
    ({ width: this.width, height: this.height } = PAGE_SIZES[paper]);
  }

  get contentTop(): number {
    return MARGIN + HEADER_H + 10;
  }
  get contentBottom(): number {
    return this.height - MARGIN - FOOTER_H;
  }
  get contentWidth(): number {
    return this.width - 2 * MARGIN;
  }

  /** Starts a sheet with its header band. */
  page(title: string): Sheet {
    const sheet: Sheet = { title, ops: [] };
    this.sheets.push(sheet);
    this.current = sheet;
    this.rect(MARGIN, MARGIN, this.contentWidth, HEADER_H, BAND, null);
    this.text(this.header.left, MARGIN + 10, MARGIN + 7, 11, { bold: true });
    this.text(this.header.right, MARGIN + 10, MARGIN + 23, 7.5, { colour: MUTED });
    this.text(title, this.width - MARGIN - 10, MARGIN + 12, 14, { bold: true, align: 'right' });
    this.y = this.contentTop;
    return sheet;
  }

  /** Ensures `h` points of room below the cursor, continuing on a new sheet of the same title. */
  ensure(h: number): boolean {
    if (this.y + h <= this.contentBottom) return false;
    this.page(`${this.current?.title.replace(/ \(cont\.\)$/, '') ?? ''} (cont.)`);
    return true;
  }

  private push(op: DisplayOp): void {
    if (!this.current) throw new Error('page() first');
    this.current.ops.push(op);
  }

  /** One line of text with its top at y; returns its width as drawn. */
  text(full: string, x: number, y: number, size: number, options: TextOptions & { target?: Target } = {}): number {
    const face = options.bold ? this.fonts.bold : this.fonts.regular;
    const whenLong = options.whenLong ?? 'error';
    let text = full;
    let w = textWidth(face, text, size);
    if (options.width !== undefined && w > options.width + 0.01) {
      if (whenLong === 'error') {
        if (options.target) this.overflow(options.target as Target, full);
      } else {
        text = ellipsize(face, full, size, options.width).text;
        w = textWidth(face, text, size);
        if (whenLong === 'warn' && options.target) this.truncated(options.target as Target, full);
      }
    }
    let left = x;
    if (options.align === 'right') left = x - w;
    else if (options.align === 'center') left = x - w / 2;
    if (text) this.push({ kind: 'text', x: left, y, size, text, bold: options.bold ?? false, colour: options.colour ?? INK });
    return w;
  }

  /** Wrapped text in a box; returns the height used. Lines beyond maxLines go as `whenLong` says. */
  paragraph(
    text: string,
    x: number,
    y: number,
    width: number,
    size: number,
    options: { target: Target; maxLines?: number; colour?: string; bold?: boolean; leading?: number; whenLong?: WhenLong },
  ): number {
    const face = options.bold ? this.fonts.bold : this.fonts.regular;
    const whenLong = options.whenLong ?? 'error';
    const leading = options.leading ?? size * 1.3;
    let shown: string[];
    if (whenLong === 'error' || options.maxLines === undefined) {
      const { lines, overflow } = wrapText(face, text, size, width);
      if (overflow || (options.maxLines !== undefined && lines.length > options.maxLines)) this.overflow(options.target, text);
      shown = options.maxLines !== undefined ? lines.slice(0, options.maxLines) : lines;
    } else {
      const clamped = clampLines(face, text, size, width, options.maxLines);
      if (clamped.truncated && whenLong === 'warn') this.truncated(options.target, text);
      shown = clamped.lines;
    }
    shown.forEach((line, i) => this.text(line, x, y + i * leading, size, { colour: options.colour ?? INK, bold: options.bold ?? false }));
    return shown.length * leading;
  }

  /** The height paragraph() would take, without drawing (to keep a block together across sheets). */
  paragraphHeight(text: string, width: number, size: number, options: { maxLines?: number; bold?: boolean; leading?: number }): number {
    const face = options.bold ? this.fonts.bold : this.fonts.regular;
    const n = wrapText(face, text, size, width).lines.length;
    return Math.min(n, options.maxLines ?? n) * (options.leading ?? size * 1.3);
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, colour = RULE, dash: number[] | null = null): void {
    this.push({ kind: 'line', x1, y1, x2, y2, width, colour, dash });
  }

  rect(x: number, y: number, w: number, h: number, fill: string | null, stroke: string | null = RULE, lineWidth = 0.5): void {
    this.push({ kind: 'rect', x, y, w, h, fill, stroke, lineWidth });
  }

  image(sha256: string, x: number, y: number, w: number, h: number, contain = false): void {
    this.push({ kind: 'image', x, y, w, h, sha256, contain });
  }

  flat(svg: string, viewBox: [number, number, number, number], x: number, y: number, w: number, h: number): void {
    this.push({ kind: 'flat', x, y, w, h, svg, viewBox });
  }

  /** A labelled field: small caption above, value in a box on one line (a longer one as `whenLong` says). */
  field(label: string, value: string, x: number, y: number, w: number, target: Target, whenLong: WhenLong = 'error', size = 11): void {
    this.text(label, x, y, 7, { colour: MUTED });
    this.line(x, y + 28, x + w, y + 28, 0.5);
    this.text(value, x, y + 11, size, { width: w, target, whenLong });
  }

  /**
   * A table from the cursor down, repeating the header on each continuation sheet. Cells wrap; a
   * word wider than its column is an overflow. Returns when the last row is drawn.
   */
  table(columns: Column[], rows: TableRow[], size = 7.5): void {
    const pad = 3;
    const leading = size * 1.3;
    const x0 = MARGIN;
    const drawHeader = () => {
      const h = leading + 2 * pad;
      this.rect(x0, this.y, columns.reduce((n, c) => n + c.width, 0), h, BAND, null);
      let x = x0;
      for (const c of columns) {
        this.cellText(c.title, x, this.y + pad, c, size, true);
        x += c.width;
      }
      this.y += h;
    };
    this.ensure(3 * leading + 4 * pad);
    drawHeader();
    for (const row of rows) {
      const wrapped = row.cells.map((cell, i) => {
        const c = columns[i]!;
        const chipW = row.chip?.cell === i ? size + 3 : 0;
        const face = row.bold?.[i] ? this.fonts.bold : this.fonts.regular;
        const { lines, overflow } = wrapText(face, cell, size, c.width - 2 * pad - chipW);
        if (overflow) this.overflow(row.target, cell);
        return lines;
      });
      const h = Math.max(...wrapped.map((l) => l.length)) * leading + 2 * pad;
      if (this.ensure(h)) drawHeader();
      let x = x0;
      wrapped.forEach((lines, i) => {
        const c = columns[i]!;
        let tx = x;
        if (row.chip?.cell === i) {
          this.rect(x + pad, this.y + pad + 1, size, size, row.chip.hex, '#808080', 0.3);
          tx += size + 3;
        }
        lines.forEach((l, k) => this.cellText(l, tx, this.y + pad + k * leading, { ...c, width: c.width - (tx - x) }, size, row.bold?.[i] ?? false));
        x += c.width;
      });
      this.y += h;
      this.line(x0, this.y, x0 + columns.reduce((n, c) => n + c.width, 0), this.y, 0.4);
    }
  }

  private cellText(text: string, x: number, y: number, c: Column, size: number, bold: boolean): void {
    const pad = 3;
    if (c.align === 'right') this.text(text, x + c.width - pad, y, size, { bold, align: 'right' });
    else if (c.align === 'center') this.text(text, x + c.width / 2, y, size, { bold, align: 'center' });
    else this.text(text, x + pad, y, size, { bold });
  }

  overflow(target: Target, text: string): void {
    if (this.reported('TEXT_OVERFLOW', target)) return;
    this.issues.push(issue('error', 'TEXT_OVERFLOW', `${target.label}: "${excerpt(text)}" does not fit its box on the sheet; shorten it.`, target.section, target.itemId, { excerpt: excerpt(text) }));
  }

  truncated(target: Target, text: string): void {
    if (this.reported('TEXT_TRUNCATED', target)) return;
    const hint = target.hint ? ` ${target.hint}` : '';
    this.issues.push(
      issue('warning', 'TEXT_TRUNCATED', `${target.label}: "${excerpt(text)}" is shortened to fit its box on the sheet; the full text is kept.${hint}`, target.section, target.itemId, {
        excerpt: excerpt(text),
      }),
    );
  }

  private reported(code: PreflightIssue['code'], target: Target): boolean {
    return this.issues.some((o) => o.code === code && o.target.section === target.section && o.target.itemId === target.itemId);
  }

  /** Writes every sheet's footer (page i of n needs the count) and returns the set. */
  finish(footerLeft: string): SheetSet {
    const n = this.sheets.length;
    this.sheets.forEach((sheet, i) => {
      this.current = sheet;
      const y = this.height - MARGIN - FOOTER_H + 8;
      this.line(MARGIN, y - 4, this.width - MARGIN, y - 4, 0.5);
      this.text(footerLeft, MARGIN, y, 7, { colour: MUTED });
      this.text(`${i + 1} / ${n}`, this.width - MARGIN, y, 7, { colour: MUTED, align: 'right' });
    });
    return { width: this.width, height: this.height, sheets: this.sheets };
  }
}
