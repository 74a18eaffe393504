import { textWidth, type SheetFace } from './font';

const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF\\u3000-\\u303F';
// A token is a run of non-space non-CJK characters with its trailing spaces, or one CJK character.
const TOKENS = new RegExp(`[${CJK}]|[^\\s${CJK}]+\\s*|\\s+`, 'g');

export const ELLIPSIS = '…';

/**
 * Breaks text into lines that fit `width`: Latin words stay whole, CJK characters may break
 * anywhere, explicit newlines are kept. A word wider than the whole box (a URL, a long reference
 * code) is broken between characters, as a spreadsheet cell does, so text a technician cannot
 * shorten (a museum caption, a past revision's note) still lays out. Only a single character
 * wider than the box is reported as an overflow.
 */
export function wrapText(face: SheetFace, text: string, size: number, width: number): { lines: string[]; overflow: boolean } {
  const lines: string[] = [];
  let overflow = false;
  const fits = (s: string) => textWidth(face, s.trimEnd(), size) <= width;
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const token of paragraph.match(TOKENS) ?? ['']) {
      if (fits(line + token)) {
        line += token;
        continue;
      }
      if (line.trim()) lines.push(line.trimEnd());
      line = '';
      const word = token.trimStart();
      if (fits(word)) {
        line = word;
        continue;
      }
      for (const ch of Array.from(word)) {
        if (line && !fits(line + ch)) {
          lines.push(line.trimEnd());
          line = '';
        }
        line += ch;
        if (!fits(line)) overflow = true;
      }
    }
    lines.push(line.trimEnd());
  }
  return { lines, overflow };
}

/**
 * The longest start of `text` that fits `width` with an ellipsis after it; the whole text when it
 * fits, unless `cut` says the text was already cut short and the ellipsis must show.
 */
export function ellipsize(face: SheetFace, text: string, size: number, width: number, cut = false): { text: string; truncated: boolean } {
  if (!cut && textWidth(face, text, size) <= width) return { text, truncated: false };
  const chars = Array.from(text);
  const kept = (n: number) => chars.slice(0, n).join('').trimEnd() + ELLIPSIS;
  // Binary search on the number of characters kept: widths grow with the prefix.
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(face, kept(mid), size) <= width) lo = mid;
    else hi = mid - 1;
  }
  return { text: kept(lo), truncated: true };
}

/**
 * At most `maxLines` wrapped lines; when the text needs more, the last line shown ends in an
 * ellipsis. The caller keeps the full text (the sheet shows what fits, the data keeps all of it).
 */
export function clampLines(face: SheetFace, text: string, size: number, width: number, maxLines: number): { lines: string[]; truncated: boolean } {
  const { lines } = wrapText(face, text, size, width);
  if (lines.length <= maxLines) return { lines, truncated: false };
  const shown = lines.slice(0, maxLines);
  shown[maxLines - 1] = ellipsize(face, shown[maxLines - 1]!, size, width, true).text;
  return { lines: shown, truncated: true };
}
