import { IDENTITY, about, multiply, rotate, scale, skewX, skewY, translate, type Matrix } from '../geometry/matrix';

const FN = /\s*(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)\s*,?/y;

/** Parses an SVG transform list; null when it is malformed (the element is then drawn untransformed). */
export function parseTransform(text: string | undefined): Matrix | null {
  if (!text || !text.trim()) return IDENTITY;
  let m: Matrix = IDENTITY;
  FN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    FN.lastIndex = pos;
    const hit = FN.exec(text);
    if (!hit) return text.slice(pos).trim() === '' ? m : null;
    pos = FN.lastIndex;
    const args = hit[2]!.split(/[\s,]+/).filter(Boolean).map(Number);
    if (args.some((a) => !Number.isFinite(a))) return null;
    const a = (i: number, d = 0) => args[i] ?? d;
    let next: Matrix;
    switch (hit[1]) {
      case 'matrix':
        if (args.length !== 6) return null;
        next = [a(0), a(1), a(2), a(3), a(4), a(5)];
        break;
      case 'translate':
        next = translate(a(0), a(1));
        break;
      case 'scale':
        next = scale(a(0, 1), args.length > 1 ? a(1) : a(0, 1));
        break;
      case 'rotate':
        next = args.length >= 3 ? about(rotate(a(0)), { x: a(1), y: a(2) }) : rotate(a(0));
        break;
      case 'skewX':
        next = skewX(a(0));
        break;
      default:
        next = skewY(a(0));
    }
    m = multiply(m, next);
  }
  return m;
}
