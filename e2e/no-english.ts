import type { Page } from '@playwright/test';

/**
 * Finds English left on a screen shown in Chinese. A Latin-letter word of two or more letters is
 * English unless it is one of the things a Chinese technician also reads in Latin letters: units,
 * size codes, file names (and their format names), pack ids and names, and the brand.
 *
 * Proper names the studio shows verbatim (pack and licence names, file names, names the technician
 * typed) are marked in the page with the standard `translate="no"` attribute; their text is left out
 * here. Anything else a caller knows to be a proper name goes in `allow`: each pattern is removed from
 * the text before it is split into words, so a pattern may cover a whole phrase ("SD 1.5 + IP-Adapter").
 */

/** Units a garment sheet prints in either language, and file sizes. */
const UNITS = ['cm', 'mm', 'in', 'px', 'dpi', 'gsm', 'KB', 'MB', 'GB'];
/** Letter sizes are the same on a Chinese size chart. */
const SIZE_CODES = ['XXS', 'XS', 'XL', 'XXL', 'XXXL'];
/** File formats are part of a file's name, and a Chinese menu says 导出 PNG. */
const FILE_FORMATS = ['svg', 'png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'pdf', 'json', 'jsonl', 'csv', 'zip', 'onnx'];
/** Key caps: a shortcut is written as the keys are printed (撤销 Ctrl+Z). */
const KEYS = ['Ctrl', 'Cmd', 'Alt', 'Shift', 'Enter', 'Esc', 'Tab', 'Space', 'Del', 'Delete', 'Backspace'];
const BRAND = ['Jinxiu'];

const ALLOWED_WORDS = new Set([...UNITS, ...SIZE_CODES, ...FILE_FORMATS, ...KEYS, ...BRAND].map((w) => w.toLowerCase()));

/** Patterns removed before splitting into words: whole file names and paths, pack ids, colour codes. */
const DEFAULT_ALLOW: RegExp[] = [
  // An absolute path (/work/packs/x, C:\packs\x.zip): a file's name where it lies.
  /(?<![\p{L}\p{N}])(?:[A-Za-z]:)?[\\/][^\s，。、；：“”（）()]+/gu,
  // A file extension on its own (.safetensors, .ckpt): the end of a file's name.
  /(?<![\p{L}\p{N}])\.[a-z][a-z0-9]{0,11}\b/gu,
  // A colour as a hex code (#8F9EB7).
  /#[0-9a-f]{3,8}\b/gi,
  // Loanwords written in Latin letters in Chinese itself.
  /Polo衫/g,
  // Samplers, named after their papers and authors (Denoising Diffusion Implicit Models, Latent
  // Consistency Models, Euler's method, DPM-Solver++ on Karras's noise schedule): Chinese diffusion
  // tools print them as these names, and a made-up translation would match nothing a reader has seen.
  /\b(?:DDIM|LCM|DPM\+\+ 2M Karras|Euler)\b/g,
  // A file name or path: something.ext, with the usual name characters (Latin, CJK, digits, - _ /).
  /[\p{L}\p{N}_\-./\\]*[\p{L}\p{N}_-]\.(?:svg|png|jpe?g|webp|pdf|json|jsonl|csv|zip|onnx|safetensors|txt|db)\b/giu,
  // Pack ids: lower-case words joined by hyphens, with a digit or the brand in them (sd15-garment,
  // jinxiu-garment-default); plain lower-case phrases such as line-art stay words to check.
  /(?<![\p{L}\p{N}])(?=[a-z0-9-]*\d|jinxiu-)[a-z0-9]+(?:-[a-z0-9.]+)+(?![\p{L}\p{N}])/gu,
];

export interface EnglishWord {
  word: string;
  /** The line of visible text it stands in, to find it on the screen. */
  line: string;
}

/** The page's visible text: body innerText without `translate="no"` elements, plus visible placeholders, titles and aria-labels. */
export async function visibleText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (el: Element) =>
      el instanceof HTMLElement || el instanceof SVGElement ? el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' : false;
    let body = document.body.innerText;
    // Verbatim names: drop each once, outermost first, so text that merely repeats one elsewhere still
    // counts; longest first, so a name that begins another ("… ControlNet" and "… ControlNet, LCM-LoRA
    // (8 steps)") does not take the longer one's head and leave its tail behind.
    const names: string[] = [];
    for (const el of document.querySelectorAll('[translate="no"]')) {
      if (el.parentElement?.closest('[translate="no"]')) continue;
      const text = el instanceof HTMLElement ? el.innerText : (el.textContent ?? '');
      if (text) names.push(text);
    }
    names.sort((a, b) => b.length - a.length);
    for (const text of names) body = body.replace(text, ' ');
    const verbatim = names.map((n) => n.trim()).filter(Boolean);
    const lines = body.split('\n');
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (!visible(el) || el.closest('[translate="no"]')) continue;
      for (const attr of ['placeholder', 'title', 'aria-label']) {
        let value = el.getAttribute(attr);
        // A label that quotes a verbatim name shown on the page ("Qipao day 的操作" beside the project's
        // name) quotes it as shown: the name is left out here too, the label's own words still count.
        for (const name of verbatim) value = value?.split(name).join(' ') ?? null;
        if (value) lines.push(value);
      }
    }
    return lines.map((l) => l.trim()).filter(Boolean);
  });
}

/** Every English word in the lines, allowing units, size codes, file names, pack ids, the brand and `allow`. */
export function englishWords(lines: readonly string[], allow: readonly RegExp[] = []): EnglishWord[] {
  const found: EnglishWord[] = [];
  for (const line of lines) {
    let text = line;
    for (const pattern of [...allow, ...DEFAULT_ALLOW]) {
      const global = pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + 'g');
      text = text.replace(global, ' ');
    }
    for (const match of text.matchAll(/[A-Za-z]{2,}/g)) {
      if (!ALLOWED_WORDS.has(match[0].toLowerCase())) found.push({ word: match[0], line });
    }
  }
  return found;
}

/** Fails listing every English word visible on `page`, each with the line it is in; `where` names the screen. */
export async function expectNoEnglish(page: Page, where: string, allow: RegExp[] = []): Promise<void> {
  const words = englishWords(await visibleText(page), allow);
  if (words.length === 0) return;
  const byLine = new Map<string, string[]>();
  for (const { word, line } of words) byLine.set(line, [...(byLine.get(line) ?? []), word]);
  const listing = [...byLine].map(([line, ws]) => `  ${ws.join(', ')}  ←  "${line.slice(0, 160)}"`).join('\n');
  const message = `English on the ${where} screen in Chinese mode (${words.length} word${words.length === 1 ? '' : 's'}):\n${listing}`;
  throw new Error(message);
}
