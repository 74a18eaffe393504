/**
 * Prompt text as the matcher reads it: NFKC (full-width letters and punctuation become ASCII), lower
 * case, hyphens, underscores and runs of spaces as one space. "Long-Sleeved T-Shirt" and
 * "long sleeved t shirt" read the same; Chinese characters are untouched.
 */
export function normalisePrompt(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‐‑‒–—_-]+/g, ' ')
    .replace(/[’‘`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const LATIN = /[a-z0-9]/;
const HAN = /\p{Script=Han}/u;

export function isLatin(ch: string | undefined): boolean {
  return ch !== undefined && LATIN.test(ch);
}

export function isHan(ch: string | undefined): boolean {
  return ch !== undefined && HAN.test(ch);
}

/** Characters that end a clause: a negation or an adjacency never reaches across them. */
export const CLAUSE_BREAK = /[,.;:!?、，。；：！？\n()（）[\]/|+&]/;
