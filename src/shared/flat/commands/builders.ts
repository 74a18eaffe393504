import { about, multiply, rotate, scale, translate, type Matrix } from '../geometry/matrix';
import type { Point } from '../schema';

/** Matrices for the editor's handles; the transform command takes any affine matrix. */
export const moveBy = (dx: number, dy: number): Matrix => translate(dx, dy);
export const scaleAbout = (sx: number, sy: number, pivot: Point): Matrix => about(scale(sx, sy), pivot);
export const rotateAbout = (deg: number, pivot: Point): Matrix => about(rotate(deg), pivot);
export const compose = (...ms: Matrix[]): Matrix => ms.reduce((acc, m) => multiply(m, acc), [1, 0, 0, 1, 0, 0] as Matrix);

/** Fresh ids for commands that create things; the id travels in the command, never made during apply. */
export function newId(prefix = 'f'): string {
  const c = globalThis.crypto;
  return `${prefix}-${c.randomUUID().slice(0, 13)}`;
}
