/**
 * BERT WordPiece tokenizer, as Chinese-CLIP feeds its text encoder: `text` int64 [1, 52] =
 * [CLS] + WordPiece ids (at most 50) + [SEP], padded with [PAD] (0).
 *
 * A faithful port of transformers' BasicTokenizer (do_lower_case, tokenize_chinese_chars, accents
 * stripped, punctuation split, no never-split list) and WordpieceTokenizer (greedy longest match,
 * "##" continuations, [UNK] for a word with no split or over 200 characters, as cn_clip's own
 * FullTokenizer), checked id for id against tools/models/motif/golden/tokenizer.jsonl. Pure: the
 * caller supplies the vocabulary's text, so it runs in main, a worker or the renderer alike.
 */
export const CONTEXT_LENGTH = 52;
const MAX_CHARS_PER_WORD = 200;

const CONTROL = /^\p{C}$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const PUNCTUATION = /^\p{P}$/u;
const NONSPACING_MARK = /\p{Mn}/gu;

/**
 * Python's str.split() with no arguments. Python's whitespace also counts U+001C..U+001F and U+0085,
 * but those are control characters, which cleaning has removed before any split.
 */
const WHITESPACE_RUN = /\s+/u;

export class BertTokenizer {
  private readonly vocab = new Map<string, number>();
  readonly cls: number;
  readonly sep: number;
  readonly pad: number;
  readonly unk: number;

  /** `vocabText`: vocab.txt, one token per line, its id the line number (from 0). */
  constructor(vocabText: string) {
    const lines = vocabText.split('\n');
    if (lines.at(-1) === '') lines.pop();
    // transformers strips only the newline, so a token's own spaces (if any) stay part of it.
    lines.forEach((token, id) => {
      if (!this.vocab.has(token)) this.vocab.set(token, id);
    });
    const special = (t: string) => {
      const id = this.vocab.get(t);
      if (id === undefined) throw new Error(`The vocabulary has no ${t} token; it is not a BERT vocabulary.`);
      return id;
    };
    this.cls = special('[CLS]');
    this.sep = special('[SEP]');
    this.pad = special('[PAD]');
    this.unk = special('[UNK]');
  }

  get size(): number {
    return this.vocab.size;
  }

  /** The model's input row: [CLS] ids[:contextLength-2] [SEP], padded with [PAD] to contextLength. */
  encode(text: string, contextLength = CONTEXT_LENGTH): number[] {
    return this.encodeRow(text, contextLength).ids;
  }

  /**
   * As encode, with how many leading positions are real tokens ([CLS] through [SEP]): the attention
   * mask a Hugging Face BERT needs, since only the official Chinese-CLIP export masks [PAD] itself.
   * Counted, not read back from the ids, so a text that tokenizes to the pad id is still attended to.
   */
  encodeRow(text: string, contextLength = CONTEXT_LENGTH): { ids: number[]; tokens: number } {
    if (!Number.isInteger(contextLength) || contextLength < 2) throw new Error(`A BERT row needs room for [CLS] and [SEP], not a context of ${contextLength}.`);
    const pieces = this.tokenize(text).map((p) => this.vocab.get(p) ?? this.unk);
    const ids = [this.cls, ...pieces.slice(0, contextLength - 2), this.sep];
    const tokens = ids.length;
    while (ids.length < contextLength) ids.push(this.pad);
    return { ids, tokens };
  }

  /** As an int64 tensor's data, for the worker. */
  encodeInt64(text: string, contextLength = CONTEXT_LENGTH): BigInt64Array {
    return BigInt64Array.from(this.encode(text, contextLength), (id) => BigInt(id));
  }

  /** WordPiece tokens of the text, without [CLS]/[SEP]. */
  tokenize(text: string): string[] {
    return basicTokenize(text).flatMap((word) => this.wordpiece(word));
  }

  private wordpiece(word: string): string[] {
    const chars = Array.from(word);
    if (chars.length > MAX_CHARS_PER_WORD) return ['[UNK]'];
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | null = null;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (this.vocab.has(piece)) {
          found = piece;
          break;
        }
        end--;
      }
      // No split of the word is in the vocabulary: the whole word is unknown, not just its tail.
      if (found === null) return ['[UNK]'];
      out.push(found);
      start = end;
    }
    return out;
  }
}

/** transformers' BasicTokenizer.tokenize with do_lower_case and tokenize_chinese_chars. */
export function basicTokenize(text: string): string[] {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    cleaned += isWhitespace(ch) ? ' ' : isChineseChar(cp) ? ` ${ch} ` : ch;
  }
  const words = splitWhitespace(cleaned.normalize('NFC'));
  const out: string[] = [];
  for (const word of words) out.push(...splitOnPunctuation(stripAccents(word.toLowerCase())));
  return splitWhitespace(out.join(' '));
}

function splitWhitespace(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(WHITESPACE_RUN);
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(NONSPACING_MARK, '');
}

function splitOnPunctuation(word: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of word) {
    if (isPunctuation(ch)) {
      if (current) out.push(current);
      out.push(ch);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || SPACE_SEPARATOR.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** BERT counts all non-letter/number ASCII as punctuation ($, ^, `), as well as Unicode P*. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCTUATION.test(ch);
}

/** The CJK Unified Ideographs blocks BERT splits into single characters (not kana, not hangul). */
function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}
