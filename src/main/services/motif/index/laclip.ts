import { AppError } from '../../../../shared/contract';

/**
 * LACLIP scoring (DESIGN.md): an image has a global embedding g and k crop embeddings v_1..v_k, all
 * L2-normalised; its score against a text embedding t is
 *
 *   s = beta * <g, t> + (1 - beta) * sum_j w_j <v_j, t>,   w_j = softmax_j(<v_j, g> / tau).
 *
 * The weights depend on the image alone, so they are computed once at indexing. And s is linear in
 * t: s = <c, t> with c = beta * g + (1 - beta) * sum_j w_j v_j. So a motif is searched as ONE
 * combined vector c, and the crops are looked at again only for the few results shown, to say which
 * crop matched best.
 */
export interface LaclipSettings {
  /** Weight of the global embedding; 0 is the paper's figure as drawn. */
  beta: number;
  /** Softmax temperature of the crop weights. */
  tau: number;
}

/**
 * Defaults when a motif pack's manifest names none; they agree with the default motif pack
 * (tools/models/motif, golden motif-preprocess.json: beta 0.5, tau 0.1). beta = 0 would be the
 * paper's figure as drawn; the paper gives no tau: at CLIP's crop-to-global cosines (about 0.6 to
 * 0.9) 0.1 lets a crop that agrees with the whole image count a few times more than one that does
 * not, without ignoring any.
 */
export const DEFAULT_LACLIP: LaclipSettings = { beta: 0.5, tau: 0.1 };

export function checkSettings(s: LaclipSettings): void {
  if (!(s.beta >= 0 && s.beta <= 1)) throw new AppError('INVALID_INPUT', `LACLIP beta must lie in [0, 1], not ${s.beta}.`);
  if (!(s.tau > 0 && Number.isFinite(s.tau))) throw new AppError('INVALID_INPUT', `LACLIP tau must be a positive number, not ${s.tau}.`);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** w_j = softmax_j(<v_j, g> / tau), computed with the maximum subtracted so it never overflows. */
export function cropWeights(global: Float32Array, crops: readonly Float32Array[], tau: number): Float64Array {
  const logits = crops.map((v) => dot(v, global) / tau);
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float64Array.from(e, (x) => x / sum);
}

/** c = beta * g + (1 - beta) * sum_j w_j v_j: the one vector that scores the motif. */
export function combinedVector(global: Float32Array, crops: readonly Float32Array[], weights: ArrayLike<number>, beta: number): Float32Array {
  const c = new Float32Array(global.length);
  for (let i = 0; i < global.length; i++) {
    let local = 0;
    for (let j = 0; j < crops.length; j++) local += weights[j]! * crops[j]![i]!;
    // A motif without crops is its whole image: the local term falls back to g.
    c[i] = beta * global[i]! + (1 - beta) * (crops.length === 0 ? global[i]! : local);
  }
  return c;
}

/** The formula as written, term by term: the reference the combined vector is tested against. */
export function laclipScore(global: Float32Array, crops: readonly Float32Array[], weights: ArrayLike<number>, t: Float32Array, beta: number): number {
  let local = 0;
  for (let j = 0; j < crops.length; j++) local += weights[j]! * dot(crops[j]!, t);
  if (crops.length === 0) local = dot(global, t);
  return beta * dot(global, t) + (1 - beta) * local;
}

/** The crop whose embedding agrees best with the text, to show where in the image the match is. */
export function bestCrop(crops: readonly Float32Array[], t: Float32Array): { crop: number; similarity: number } | null {
  let best: { crop: number; similarity: number } | null = null;
  for (let j = 0; j < crops.length; j++) {
    const s = dot(crops[j]!, t);
    if (!best || s > best.similarity) best = { crop: j, similarity: s };
  }
  return best;
}

/** v / |v|, in place; a zero vector stays zero. */
export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}
