import type { Point, Segment } from '../schema';
import { arcToCubics } from './arc';

const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const ARGS: Record<string, number> = { m: 2, l: 2, h: 1, v: 1, c: 6, s: 4, q: 4, t: 2, a: 7, z: 0 };

export class PathDataError extends Error {}

/** Tokenises path data; arc flags may be written without separators ("a1 1 0 011 1"). */
function* tokens(d: string): Generator<string | number> {
  let i = 0;
  let command = '';
  let argIndex = 0;
  while (i < d.length) {
    const ch = d[i]!;
    if (ch === ' ' || ch === ',' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (/[a-zA-Z]/.test(ch)) {
      if (ARGS[ch.toLowerCase()] === undefined) throw new PathDataError(`unknown path command "${ch}"`);
      command = ch.toLowerCase();
      argIndex = 0;
      i++;
      yield ch;
      continue;
    }
    const inFlag = command === 'a' && (argIndex % 7 === 3 || argIndex % 7 === 4);
    if (inFlag && (ch === '0' || ch === '1')) {
      i++;
      argIndex++;
      yield ch === '1' ? 1 : 0;
      continue;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(d);
    if (!m) throw new PathDataError(`unexpected "${ch}" at ${i} in path data`);
    i += m[0].length;
    argIndex++;
    yield Number(m[0]);
  }
}

/** Parses SVG path data into absolute M/L/C/Q/Z segments (H/V become L, S/T are expanded, A becomes C). */
export function parsePathData(d: string, maxSegments = 200_000): Segment[] {
  const out: Segment[] = [];
  let cur: Point = { x: 0, y: 0 };
  let start: Point = { x: 0, y: 0 };
  let lastCubic: Point | null = null;
  let lastQuad: Point | null = null;
  let command = '';
  let args: number[] = [];
  const push = (s: Segment) => {
    if (out.length >= maxSegments) throw new PathDataError(`more than ${maxSegments} path segments`);
    out.push(s);
  };
  const run = (cmd: string, a: number[]) => {
    const rel = cmd === cmd.toLowerCase();
    const ox = rel ? cur.x : 0;
    const oy = rel ? cur.y : 0;
    const c = cmd.toLowerCase();
    const pt = (x: number, y: number): Point => ({ x: x + ox, y: y + oy });
    let nextCubic: Point | null = null;
    let nextQuad: Point | null = null;
    switch (c) {
      case 'm': {
        cur = pt(a[0]!, a[1]!);
        start = cur;
        push({ kind: 'M', to: cur });
        break;
      }
      case 'l':
        cur = pt(a[0]!, a[1]!);
        push({ kind: 'L', to: cur });
        break;
      case 'h':
        cur = { x: a[0]! + ox, y: cur.y };
        push({ kind: 'L', to: cur });
        break;
      case 'v':
        cur = { x: cur.x, y: a[0]! + oy };
        push({ kind: 'L', to: cur });
        break;
      case 'c': {
        const c1 = pt(a[0]!, a[1]!);
        const c2 = pt(a[2]!, a[3]!);
        cur = pt(a[4]!, a[5]!);
        push({ kind: 'C', c1, c2, to: cur });
        nextCubic = c2;
        break;
      }
      case 's': {
        const c1 = lastCubic ? { x: 2 * cur.x - lastCubic.x, y: 2 * cur.y - lastCubic.y } : cur;
        const c2 = pt(a[0]!, a[1]!);
        cur = pt(a[2]!, a[3]!);
        push({ kind: 'C', c1, c2, to: cur });
        nextCubic = c2;
        break;
      }
      case 'q': {
        const q = pt(a[0]!, a[1]!);
        cur = pt(a[2]!, a[3]!);
        push({ kind: 'Q', c: q, to: cur });
        nextQuad = q;
        break;
      }
      case 't': {
        const q = lastQuad ? { x: 2 * cur.x - lastQuad.x, y: 2 * cur.y - lastQuad.y } : cur;
        cur = pt(a[0]!, a[1]!);
        push({ kind: 'Q', c: q, to: cur });
        nextQuad = q;
        break;
      }
      case 'a': {
        const to = pt(a[5]!, a[6]!);
        for (const piece of arcToCubics(cur, a[0]!, a[1]!, a[2]!, a[3]! !== 0, a[4]! !== 0, to)) push({ kind: 'C', ...piece });
        cur = to;
        break;
      }
      case 'z':
        push({ kind: 'Z' });
        cur = start;
        break;
    }
    lastCubic = nextCubic;
    lastQuad = nextQuad;
  };
  const flush = (final: boolean) => {
    const n = ARGS[command.toLowerCase()]!;
    if (n === 0) return;
    if (args.length % n !== 0 || (args.length === 0 && final))
      throw new PathDataError(`"${command}" needs ${n} numbers per step, got ${args.length}`);
    for (let k = 0; k < args.length; k += n) {
      // After the first pair, further pairs of a moveto are implicit linetos.
      const cmd = k > 0 && command.toLowerCase() === 'm' ? (command === 'm' ? 'l' : 'L') : command;
      run(cmd, args.slice(k, k + n));
    }
  };
  for (const tok of tokens(d)) {
    if (typeof tok === 'string') {
      if (command) {
        if (ARGS[command.toLowerCase()] !== 0 && args.length === 0) throw new PathDataError(`"${command}" has no numbers`);
        flush(false);
      } else if (tok.toLowerCase() !== 'm') throw new PathDataError('path data must start with a moveto');
      command = tok;
      args = [];
      if (ARGS[tok.toLowerCase()] === 0) run(tok, []);
    } else {
      if (!command) throw new PathDataError('path data must start with a moveto');
      if (ARGS[command.toLowerCase()] === 0) throw new PathDataError('numbers after a closepath');
      args.push(tok);
    }
  }
  if (command) flush(true);
  return out;
}

const fmt = (n: number, digits: number): string => {
  const r = Number(n.toFixed(digits));
  return Object.is(r, -0) ? '0' : String(r);
};

/** Writes absolute path data, rounded for a clean file. */
export function formatPathData(segments: readonly Segment[], digits = 3): string {
  const p = (pt: Point) => `${fmt(pt.x, digits)} ${fmt(pt.y, digits)}`;
  return segments
    .map((s) => {
      switch (s.kind) {
        case 'M':
          return `M${p(s.to)}`;
        case 'L':
          return `L${p(s.to)}`;
        case 'C':
          return `C${p(s.c1)} ${p(s.c2)} ${p(s.to)}`;
        case 'Q':
          return `Q${p(s.c)} ${p(s.to)}`;
        case 'Z':
          return 'Z';
      }
    })
    .join('');
}
