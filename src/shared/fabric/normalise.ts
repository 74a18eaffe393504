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

/**
 * The prompt as the matcher reads it, with where each of its characters came from in the text the
 * technician typed: `sourceStart[i]` is the typed offset of normalised character i, `sourceEnd[i]` the
 * typed offset just after it. A match's span in the typed text is then
 * [sourceStart[start], sourceEnd[end - 1]), so the prompt panel can rewrite exactly the words it read
 * without touching the technician's casing, spacing or punctuation elsewhere. Built character by
 * character; `text` equals normalisePrompt's except where NFKC composes across characters (a letter
 * followed by a combining mark), which lexicon terms never contain.
 */
export function normaliseWithSpans(typed: string): { text: string; sourceStart: number[]; sourceEnd: number[] } {
  const chars: string[] = [];
  const sourceStart: number[] = [];
  const sourceEnd: number[] = [];
  let offset = 0;
  for (const ch of typed) {
    const start = offset;
    offset += ch.length;
    const piece = ch.normalize('NFKC').toLowerCase().replace(/[‐‑‒–—_-]/g, ' ').replace(/[’‘`]/g, "'").replace(/\s/g, ' ');
    for (const out of piece) {
      // Runs of spaces fold into one, and leading spaces go (the trailing one is trimmed below).
      if (out === ' ' && (chars.length === 0 || chars[chars.length - 1] === ' ')) continue;
      chars.push(out);
      sourceStart.push(start);
      sourceEnd.push(offset);
    }
  }
  while (chars[chars.length - 1] === ' ') {
    chars.pop();
    sourceStart.pop();
    sourceEnd.pop();
  }
  return { text: chars.join(''), sourceStart, sourceEnd };
}

/** Where a match [start, end) of the normalised prompt lies in the typed text. */
export function sourceSpan(typed: string, start: number, end: number): { start: number; end: number } {
  const map = normaliseWithSpans(typed);
  if (end <= start || end > map.text.length) throw new Error(`No span ${start}-${end} in a prompt of ${map.text.length} characters.`);
  return { start: map.sourceStart[start]!, end: map.sourceEnd[end - 1]! };
}
