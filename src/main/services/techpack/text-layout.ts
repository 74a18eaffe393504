import { textWidth, type SheetFace } from './font';

/**
 * Breaks text into lines that fit `width`: Latin words stay whole, CJK characters may break
 * anywhere, explicit newlines are kept. A single token wider than the box is returned on its own
 * line and reported, since it can only overflow.
 */
export function wrapText(face: SheetFace, text: string, size: number, width: number): { lines: string[]; overflow: boolean } {
  const lines: string[] = [];
  let overflow = false;
  for (const paragraph of text.split(/\r?\n/)) {
    // A token is a run of non-space non-CJK characters with its trailing spaces, or one CJK character.
    const tokens = paragraph.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]|[^\s\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]+\s*|\s+/g) ?? [''];
    let line = '';
    for (const token of tokens) {
      const candidate = line + token;
      if (textWidth(face, candidate.trimEnd(), size) <= width || line === '') {
        line = candidate;
        if (textWidth(face, line.trimEnd(), size) > width) overflow = true;
      } else {
        lines.push(line.trimEnd());
        line = token.trimStart();
        if (textWidth(face, line.trimEnd(), size) > width) overflow = true;
      }
    }
    lines.push(line.trimEnd());
  }
  return { lines, overflow };
}
