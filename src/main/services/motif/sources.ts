import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../../../shared/contract';

/**
 * Readers for the folder layouts a motif collection comes in. Each yields ImportItems whose bytes are
 * read only when the importer asks, so a 100k-image collection is never held in memory.
 *
 * - heritage: captions.jsonl with one record per image, `image` a path relative to the folder (the
 *   layout of the studio's heritage_motifs sample: id, image, title_zh/en, caption_zh/en,
 *   context_en, author, license, motif_tags_auto).
 * - culti: Chinese-CLIP's dataset layout, used by CulTi: `{"text_id", "text", "image_ids"}` lines,
 *   and the images either in a TSV of `image_id<TAB>base64` or as files named <image_id>.<ext>.
 *   Several texts may describe one image: the motif is the image, every text is its caption.
 */

export type ImportLayout = 'heritage' | 'culti';

export interface ImportProblem {
  /** Where: the caption line or the image. */
  at: string;
  message: string;
}

export interface ImportItem {
  /** The collection's own name for the image, kept in attributes.sourceKey. */
  key: string;
  /** Where the bytes come from, for messages. */
  origin: string;
  captionZh: string | null;
  captionEn: string | null;
  source: string | null;
  licence: string | null;
  attributes: Record<string, unknown>;
  load(): Promise<Buffer>;
}

export interface ImportSource {
  layout: ImportLayout;
  captionsFile: string;
  /** Images the captions name (the progress total). */
  total: number;
  /** Lines that could not be used; more may be added while items() runs (images missing from a TSV). */
  problems: ImportProblem[];
  items(): AsyncIterable<ImportItem>;
}

export interface SourceOptions {
  folder: string;
  /** The captions JSONL; found in the folder when left out (captions.jsonl, else the only *.jsonl). */
  captions?: string;
  /** CulTi: a TSV of image_id<TAB>base64. */
  tsv?: string;
  /** CulTi: the folder of <image_id>.<ext> files. */
  images?: string;
  /** Credit and licence for records that carry none (CulTi records never do). */
  source?: string;
  licence?: string;
}

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.bmp'];

export async function openImportSource(options: SourceOptions): Promise<ImportSource> {
  const folder = path.resolve(options.folder);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new AppError('INVALID_INPUT', `${folder} is not a folder; give the folder that holds the captions and images.`);
  }
  const captionsFile = options.captions ? path.resolve(folder, options.captions) : findCaptions(folder);
  const problems: ImportProblem[] = [];
  const records = await readJsonLines(captionsFile, problems);
  const first = records.find((r) => r.value !== null)?.value;
  if (!first) throw new AppError('INVALID_INPUT', `${captionsFile} holds no caption records.`);
  if (typeof first.image === 'string') return heritageSource(folder, captionsFile, records, problems, options);
  if ('text_id' in first && Array.isArray(first.image_ids)) return cultiSource(folder, captionsFile, records, problems, options);
  throw new AppError(
    'INVALID_INPUT',
    `${captionsFile} is in no layout the studio knows: a record needs "image" (a path) or "text_id", "text" and "image_ids" (Chinese-CLIP/CulTi).`,
  );
}

function findCaptions(folder: string): string {
  const named = path.join(folder, 'captions.jsonl');
  if (fs.existsSync(named)) return named;
  const jsonl = fs.readdirSync(folder).filter((f) => f.endsWith('.jsonl')).sort();
  if (jsonl.length === 1) return path.join(folder, jsonl[0]!);
  throw new AppError(
    'INVALID_INPUT',
    jsonl.length === 0
      ? `${folder} has no captions: expected captions.jsonl or a Chinese-CLIP *_texts.jsonl.`
      : `${folder} has several caption files (${jsonl.join(', ')}); name one with --captions.`,
  );
}

interface JsonLine {
  line: number;
  value: Record<string, unknown> | null;
}

async function readJsonLines(file: string, problems: ImportProblem[]): Promise<JsonLine[]> {
  if (!fs.existsSync(file)) throw new AppError('INVALID_INPUT', `The captions file ${file} does not exist.`);
  const out: JsonLine[] = [];
  let line = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(text);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
      out.push({ line, value: value as Record<string, unknown> });
    } catch (err) {
      problems.push({ at: `${path.basename(file)}:${line}`, message: `not a caption record (${(err as Error).message})` });
    }
  }
  return out;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** A path from a caption file, refused if it leaves the collection's folder. */
function inside(folder: string, rel: string): string | null {
  const p = path.resolve(folder, rel);
  const r = path.relative(folder, p);
  return r === '' || r.startsWith('..') || path.isAbsolute(r) ? null : p;
}

function heritageSource(folder: string, captionsFile: string, records: JsonLine[], problems: ImportProblem[], options: SourceOptions): ImportSource {
  const at = (line: number) => `${path.basename(captionsFile)}:${line}`;
  const usable: { line: number; record: Record<string, unknown>; file: string }[] = [];
  for (const { line, value } of records) {
    const image = str(value!.image);
    const file = image ? inside(folder, image) : null;
    if (!image) problems.push({ at: at(line), message: 'the record names no image' });
    else if (!file) problems.push({ at: at(line), message: `the image path ${image} leads outside ${folder}` });
    else usable.push({ line, record: value!, file });
  }
  return {
    layout: 'heritage',
    captionsFile,
    total: usable.length,
    problems,
    async *items() {
      for (const { line, record: r, file } of usable) {
        const author = str(r.author);
        yield {
          key: str(r.id) ?? `line ${line}`,
          origin: path.relative(folder, file),
          captionZh: str(r.caption_zh) ?? str(r.title_zh),
          captionEn: str(r.caption_en) ?? str(r.title_en),
          source: str(r.source) ?? options.source ?? (author ? `Photo by ${author}` : null),
          licence: str(r.license) ?? str(r.licence) ?? options.licence ?? null,
          attributes: compact({
            sourceKey: str(r.id),
            titleZh: str(r.title_zh),
            titleEn: str(r.title_en),
            context: str(r.context_en),
            author,
            tags: Array.isArray(r.motif_tags_auto) ? r.motif_tags_auto.filter((t) => typeof t === 'string') : undefined,
            collection: path.basename(folder),
          }),
          load: () => fs.promises.readFile(file),
        };
      }
    },
  };
}

function cultiSource(folder: string, captionsFile: string, records: JsonLine[], problems: ImportProblem[], options: SourceOptions): ImportSource {
  // Texts grouped by image, in the order images first appear.
  const texts = new Map<string, { textId: string; text: string }[]>();
  for (const { line, value: r } of records) {
    const text = str(r!.text);
    const ids = Array.isArray(r!.image_ids) ? r!.image_ids.map(String) : [];
    if (!text || ids.length === 0) {
      problems.push({ at: `${path.basename(captionsFile)}:${line}`, message: 'a Chinese-CLIP record needs "text" and a non-empty "image_ids"' });
      continue;
    }
    for (const id of ids) texts.set(id, [...(texts.get(id) ?? []), { textId: String(r!.text_id), text }]);
  }
  const item = (imageId: string, origin: string, load: () => Promise<Buffer>): ImportItem => {
    const t = texts.get(imageId)!;
    return {
      key: imageId,
      origin,
      captionZh: t.map((x) => x.text).join('；'),
      captionEn: null,
      source: options.source ?? path.basename(folder),
      licence: options.licence ?? null,
      attributes: { sourceKey: imageId, texts: t, collection: path.basename(folder) },
      load,
    };
  };
  const tsv = options.tsv ? path.resolve(folder, options.tsv) : findTsv(folder, captionsFile);
  if (tsv) {
    return {
      layout: 'culti',
      captionsFile,
      total: texts.size,
      problems,
      async *items() {
        const seen = new Set<string>();
        let line = 0;
        const lines = readline.createInterface({ input: fs.createReadStream(tsv, 'utf8'), crlfDelay: Infinity });
        for await (const text of lines) {
          line++;
          const tab = text.indexOf('\t');
          const id = tab > 0 ? text.slice(0, tab).trim() : '';
          if (!texts.has(id) || seen.has(id)) continue;
          seen.add(id);
          const b64 = text.slice(tab + 1).trim();
          yield item(id, `${path.basename(tsv)}:${line}`, async () => decodeBase64(b64));
        }
        for (const id of texts.keys()) {
          if (!seen.has(id)) problems.push({ at: `image ${id}`, message: `captioned but not in ${path.basename(tsv)}` });
        }
      },
    };
  }
  const imagesDir = options.images ? path.resolve(folder, options.images) : fs.existsSync(path.join(folder, 'images')) ? path.join(folder, 'images') : folder;
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(imagesDir)) {
    const ext = path.extname(f).toLowerCase();
    if (IMAGE_EXTENSIONS.includes(ext)) files.set(path.basename(f, path.extname(f)), path.join(imagesDir, f));
  }
  return {
    layout: 'culti',
    captionsFile,
    total: texts.size,
    problems,
    async *items() {
      for (const id of texts.keys()) {
        const file = files.get(id);
        if (!file) {
          problems.push({ at: `image ${id}`, message: `captioned but no file ${id}.<jpg|png|...> in ${imagesDir}` });
          continue;
        }
        yield item(id, path.relative(folder, file), () => fs.promises.readFile(file));
      }
    },
  };
}

/** The TSV beside a Chinese-CLIP texts file: train_texts.jsonl goes with train_imgs.tsv. */
function findTsv(folder: string, captionsFile: string): string | null {
  const tsvs = fs.readdirSync(folder).filter((f) => f.endsWith('.tsv'));
  if (tsvs.length === 0) return null;
  if (tsvs.length === 1) return path.join(folder, tsvs[0]!);
  const split = path.basename(captionsFile).split('_')[0];
  const match = tsvs.filter((f) => f.split('_')[0] === split);
  if (match.length === 1) return path.join(folder, match[0]!);
  throw new AppError('INVALID_INPUT', `${folder} has several image TSVs (${tsvs.join(', ')}); name one with --tsv.`);
}

function decodeBase64(b64: string): Buffer {
  // Chinese-CLIP writes urlsafe base64; Buffer reads both alphabets. Anything else is a broken line.
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(b64)) throw new AppError('INVALID_INPUT', 'the TSV line is not base64');
  return Buffer.from(b64, 'base64');
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}
