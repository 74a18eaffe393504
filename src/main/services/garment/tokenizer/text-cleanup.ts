/**
 * The text cleanup CLIP's tokenizers run before BPE: ftfy.fix_text (the parts that matter for typed
 * prompts), whitespace collapsed, lower case. transformers' CLIPTokenizer does exactly
 * `whitespace_clean(ftfy.fix_text(text)).lower()`, and the goldens come from it.
 *
 * Not reproduced: ftfy's mojibake repair (text decoded in the wrong encoding, e.g. "cafÃ©"). A
 * technician types prompts into the studio, so they arrive as proper Unicode; pasted mojibake is
 * tokenized as written.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '\u2026', mdash: '\u2014',
  ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', copy: '\u00a9',
  reg: '\u00ae', trade: '\u2122', deg: '\u00b0', times: '\u00d7', middot: '\u00b7', bull: '\u2022',
  eacute: '\u00e9', egrave: '\u00e8', agrave: '\u00e0', aacute: '\u00e1', ccedil: '\u00e7',
  iuml: '\u00ef', ouml: '\u00f6', uuml: '\u00fc', auml: '\u00e4', szlig: '\u00df', macr: '\u00af',
};

/** ftfy.unescape_html, for the entities above and numeric references; skipped when '<' is present. */
function unescapeHtml(text: string): string {
  if (text.includes('<')) return text;
  return text.replace(/&#?[0-9A-Za-z]{1,24};/g, (entity) => {
    const body = entity.slice(1, -1);
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Windows-1252's meaning of the C1 range, as browsers (and ftfy.fix_c1_controls) read it. */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

const LIGATURES: Record<string, string> = {
  'Ĳ': 'IJ', 'ĳ': 'ij', 'ŉ': 'ʼn', 'Ǳ': 'DZ', 'ǲ': 'Dz', 'ǳ': 'dz', 'Ǆ': 'DŽ', 'ǅ': 'Dž', 'ǆ': 'dž',
  'Ǉ': 'LJ', 'ǈ': 'Lj', 'ǉ': 'lj', 'Ǌ': 'NJ', 'ǋ': 'Nj', 'ǌ': 'nj', 'ﬀ': 'ff', 'ﬁ': 'fi', 'ﬂ': 'fl',
  'ﬃ': 'ffi', 'ﬄ': 'ffl', 'ﬅ': 'ſt', 'ﬆ': 'st',
};

/** ftfy's width map: fullwidth and halfwidth forms (U+FF01..U+FFEF) to their NFKC form, U+3000 to space. */
function fixCharacterWidth(text: string): string {
  return text.replace(/[\u3000\uff01-\uffef]/g, (ch) => (ch === '\u3000' ? ' ' : ch.normalize('NFKC')));
}

// ftfy.remove_control_chars: C0 controls but tab/newline/FF/CR, DEL, deprecated format characters,
// the byte order mark and interlinear annotation marks.
// eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\u206a-\u206f\ufeff\ufff9-\ufffc]/g;

/** Python's str.isspace() set, which `re`'s \s uses on str (JS's \s differs at U+001C-1F, U+0085, U+FEFF). */
// eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
const PY_WHITESPACE = /[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

export function fixText(input: string): string {
  let text = unescapeHtml(input);
  text = text.replace(/[\u0080-\u009f]/g, (ch) => CP1252_C1[ch.charCodeAt(0) - 0x80]!);
  text = text.replace(/[ĲĳŉǱǲǳǅǆǄǇǈǉǊǋǌﬀﬁﬂﬃﬄﬅﬆ]/g, (ch) => LIGATURES[ch] ?? ch);
  text = fixCharacterWidth(text);
  text = text.replace(/[\u02bc\u2018-\u201b]/g, "'").replace(/[\u201c-\u201f]/g, '"');
  text = text.replace(/\r\n|[\r\u2028\u2029\u0085]/g, '\n');
  // Lone surrogates cannot come from typed text; they are replaced as ftfy.fix_surrogates would drop them.
  text = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  // eslint-disable-next-line no-control-regex -- these patterns exist to find control characters
  text = text.replace(/\u001b\[((?:\d|;)*)([a-zA-Z])/g, '');
  text = text.replace(CONTROL_CHARS, '');
  return text.normalize('NFC');
}

/** CLIP's full cleanup: ftfy, whitespace runs to one space, trimmed, lower case. */
export function cleanPrompt(text: string): string {
  return fixText(text).replace(PY_WHITESPACE, ' ').replace(/^ | $/g, '').toLowerCase();
}
