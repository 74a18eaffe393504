import type { F32 } from './tensor';

/** A pack's fabric vocabulary (its fabrics.json): the labels it knows and the words that mean them. */
export interface FabricTable {
  labels: string[];
  synonyms: Record<string, string>;
}

/** Mean over the rows of a [N, D] matrix, in double. */
function meanRows(t: F32): Float64Array {
  const [n, d] = t.dims as [number, number];
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j]! += t.data[i * d + j]!;
  for (let j = 0; j < d; j++) out[j]! /= n;
  return out;
}

/**
 * HiGarment's harmonized cross-attention weight: alpha = lambda + (1 - lambda) * sigmoid(cos(v, t)),
 * v and t the mean of the image-prompt and text tokens (the text only up to its EOS, padding aside).
 */
export function harmonizedAlpha(imageTokens: F32, textTokens: F32, lambda: number): number {
  const v = meanRows(imageTokens);
  const t = meanRows(textTokens);
  let dot = 0;
  let nv = 0;
  let nt = 0;
  for (let j = 0; j < v.length; j++) {
    dot += v[j]! * t[j]!;
    nv += v[j]! * v[j]!;
    nt += t[j]! * t[j]!;
  }
  const cos = dot / (Math.sqrt(nv) * Math.sqrt(nt) + 1e-12);
  return lambda + (1 - lambda) / (1 + Math.exp(-cos));
}

/**
 * The fabric a prompt names, normalised with the pack's synonym table (jeans -> denim, 丝绸 -> silk):
 * the longest label or synonym found in the prompt, English as whole words, Chinese anywhere.
 */
export function fabricFromPrompt(prompt: string, table: FabricTable): string | null {
  const text = prompt.toLowerCase();
  const candidates = [...table.labels.map((l) => [l.toLowerCase(), l] as const), ...Object.entries(table.synonyms).map(([k, v]) => [k.toLowerCase(), v] as const)];
  candidates.sort((a, b) => b[0].length - a[0].length);
  for (const [word, label] of candidates) {
    const latin = /^[\p{Script=Latin}\d\s-]+$/u.test(word);
    const found = latin ? new RegExp(`(^|[^\\p{L}])${escapeRegExp(word)}($|[^\\p{L}])`, 'u').test(text) : text.includes(word);
    if (found) return label;
  }
  return null;
}

/** A fabric word the technician typed, normalised by the synonym table (Jeans -> denim); unknown words pass. */
export function normalizeFabric(word: string, table: FabricTable): string {
  const key = word.trim().toLowerCase();
  const label = table.labels.find((l) => l.toLowerCase() === key);
  if (label) return label;
  const synonym = Object.entries(table.synonyms).find(([k]) => k.toLowerCase() === key);
  return synonym ? synonym[1] : word.trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
