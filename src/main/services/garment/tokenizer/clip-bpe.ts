import { cleanPrompt } from './text-cleanup';

/** CLIP's pre-tokenizer pattern (transformers' CLIPTokenizer.pat, case-insensitive, Unicode classes). */
const PATTERN = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/giu;

/** GPT-2's reversible byte -> printable character table, which CLIP's vocabulary is written in. */
function byteEncoder(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let extra = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCharCode(256 + extra++);
  return table;
}

export interface ClipTokenizerFiles {
  /** vocab.json: token -> id. */
  vocab: Record<string, number>;
  /** merges.txt's text, with or without its "#version" line. */
  merges: string;
}

export interface ClipTokenizerOptions {
  contextLength?: number;
  bos?: string;
  eos?: string;
  /** Id used after EOS; SD 1.5 pads with EOS (49407), open_clip with 0. */
  padId?: number;
}

/**
 * CLIP's byte-level BPE, as Stable Diffusion's text encoder expects it: cleanup, pre-tokenize, bytes
 * to the printable alphabet, merge by rank, then BOS + ids + EOS, truncated to the context with EOS
 * kept last and padded.
 */
export class ClipTokenizer {
  readonly contextLength: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly padId: number;
  private readonly vocab: Map<string, number>;
  private readonly ranks = new Map<string, number>();
  private readonly bytes = byteEncoder();
  private readonly cache = new Map<string, string[]>();
  private readonly specials: string[];

  constructor(files: ClipTokenizerFiles, options: ClipTokenizerOptions = {}) {
    this.vocab = new Map(Object.entries(files.vocab));
    const lines = files.merges.split('\n');
    // transformers reads merges.txt as .strip().split("\n")[1 : 49152 - 256 - 2 + 1].
    const body = (lines[0]?.startsWith('#version') ? lines.slice(1) : lines).filter((l) => l.trim() !== '');
    body.slice(0, 49152 - 256 - 2).forEach((line, rank) => {
      const [a, b] = line.split(' ');
      if (a !== undefined && b !== undefined) this.ranks.set(`${a} ${b}`, rank);
    });
    this.contextLength = options.contextLength ?? 77;
    this.specials = [options.bos ?? '<|startoftext|>', options.eos ?? '<|endoftext|>'];
    this.bosId = this.idOf(this.specials[0]!);
    this.eosId = this.idOf(this.specials[1]!);
    this.padId = options.padId ?? this.eosId;
  }

  /**
   * The BPE ids of the text, without BOS/EOS or truncation. BOS and EOS typed as text are replaced by
   * a space first, so a prompt cannot end itself early (PACKS.md; tools/models/common/clip_bpe.encode).
   */
  tokenize(text: string): number[] {
    const ids: number[] = [];
    const plain = this.specials.reduce((t, special) => t.split(special).join(' '), text);
    for (const match of cleanPrompt(plain).matchAll(PATTERN)) {
      const word = match[0];
      if (word === '<|startoftext|>' || word === '<|endoftext|>') {
        ids.push(this.idOf(word));
        continue;
      }
      const mapped = Array.from(Buffer.from(word, 'utf8'), (b) => this.bytes[b]!).join('');
      for (const piece of this.bpe(mapped)) ids.push(this.idOf(piece));
    }
    return ids;
  }

  /** The text encoder's input: exactly contextLength ids. */
  encode(text: string): number[] {
    const body = this.tokenize(text).slice(0, this.contextLength - 2);
    const ids = [this.bosId, ...body, this.eosId];
    while (ids.length < this.contextLength) ids.push(this.padId);
    return ids;
  }

  private idOf(token: string): number {
    const id = this.vocab.get(token);
    if (id === undefined) throw new Error(`token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  }

  private bpe(token: string): string[] {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const chars = Array.from(token);
    let word = [...chars.slice(0, -1), `${chars[chars.length - 1]!}</w>`];
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < word.length - 1; i++) {
        const rank = this.ranks.get(`${word[i]!} ${word[i + 1]!}`);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const first = word[best]!;
      const second = word[best + 1]!;
      const merged: string[] = [];
      for (let i = 0; i < word.length; ) {
        if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
          merged.push(first + second);
          i += 2;
        } else {
          merged.push(word[i]!);
          i += 1;
        }
      }
      word = merged;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, word);
    return word;
  }
}
