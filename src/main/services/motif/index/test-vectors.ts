/** Deterministic random vectors for the index's tests and benchmark (mulberry32 + Box-Muller). */
import { mulberry32 } from '../../../../shared/mulberry32';

export { mulberry32 as rng };

export function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** One unit vector: a centre plus noise of the given spread, normalised (written into `out`). */
export function unitNear(out: Float32Array, centre: Float32Array | null, spread: number, normal: () => number): Float32Array {
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const x = (centre ? centre[i]! : 0) + spread * normal();
    out[i] = x;
    n += x * x;
  }
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < out.length; i++) out[i]! *= inv;
  return out;
}

/**
 * `count` unit vectors in clusters, as CLIP embeddings of a collection are (motifs of one kind lie
 * together): `clusters` random centres, each vector a centre plus Gaussian noise.
 */
export function clusteredVectors(count: number, dim: number, seed: number, clusters = 256, spread = 1.2 / Math.sqrt(dim)): Float32Array {
  const normal = gaussian(mulberry32(seed));
  const random = mulberry32(seed ^ 0x9e3779b9);
  const centres = Array.from({ length: clusters }, () => unitNear(new Float32Array(dim), null, 1, normal));
  const out = new Float32Array(count * dim);
  for (let r = 0; r < count; r++) unitNear(out.subarray(r * dim, (r + 1) * dim), centres[Math.floor(random() * clusters)]!, spread, normal);
  return out;
}

/** Exact top k by dot product in float64, the reference of the tests. */
export function bruteForceTopK(vectors: Float32Array, dim: number, query: Float32Array, k: number): { row: number; score: number }[] {
  const n = vectors.length / dim;
  const all: { row: number; score: number }[] = [];
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[r * dim + i]! * query[i]!;
    all.push({ row: r, score: s });
  }
  return all.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k);
}
