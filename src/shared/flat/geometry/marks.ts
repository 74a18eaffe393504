import type { Point, Segment, StrokeStyle } from '../schema';

/**
 * Drawing primitives in document units: what a stitch or a trim looks like, worked out once here so
 * the SVG export (and through it the tech pack and colorways) and the editor's canvas draw the same
 * rows, points and dashes. Each drawing layer only translates them.
 */

/**
 * How a mark's line is drawn. `colour: null` is a line the document says has no colour (still
 * exported with its dash, so a re-import keeps it); unset caps, joins and mitre limits are the SVG
 * defaults (butt, miter, 4), which fabric.js shares.
 */
export interface Pen {
  colour: string | null;
  width: number;
  dash: number[] | null;
  dashOffset?: number;
  lineCap?: StrokeStyle['lineCap'];
  lineJoin?: StrokeStyle['lineJoin'];
  miterLimit?: number;
  strokeOpacity?: number;
}

interface MarkBase {
  /** null: nothing filled. */
  fill: string | null;
  /** null: no outline at all. */
  pen: Pen | null;
  /** The whole mark's opacity; unset is opaque. */
  opacity?: number;
}

export interface PathMark extends MarkBase {
  kind: 'path';
  segments: Segment[];
}
export interface CircleMark extends MarkBase {
  kind: 'circle';
  centre: Point;
  r: number;
}
export interface RectMark extends MarkBase {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
}
/** One line of text, centred on `at`, whose y is the baseline. */
export interface TextMark {
  kind: 'text';
  at: Point;
  text: string;
  fontSize: number;
  fill: string;
}
export type Mark = PathMark | CircleMark | RectMark | TextMark;

/**
 * A group of marks drawn in the local frame of a point: translated to `at`, turned `rotation`
 * degrees (clockwise on screen) about it. null: the marks are already in document coordinates.
 */
export interface Placement {
  at: Point;
  rotation: number;
}

export interface Drawing {
  placement: Placement | null;
  marks: Mark[];
}

/** The pen of a document stroke style, with the dash it is drawn with (an empty dash is solid). */
export function penOf(style: StrokeStyle, dash: readonly number[] | null = style.dash): Pen {
  return {
    colour: style.stroke,
    width: style.strokeWidth,
    dash: dash && dash.length ? [...dash] : null,
    dashOffset: style.dashOffset,
    lineCap: style.lineCap,
    lineJoin: style.lineJoin,
    miterLimit: style.miterLimit,
    strokeOpacity: style.strokeOpacity,
  };
}
