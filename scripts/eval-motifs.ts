/**
 * Motif retrieval quality: `npm run eval:motifs`. Prints tables; asserts nothing.
 *
 * Data: the shared heritage_motifs (284 captioned photos, read-only), the default motif pack
 * (resources/models/motif-default) through the real inference worker, the studio's own caption
 * search (FTS5 + lexicon) and motifs.search's code (src/main/services/motif/motif-search.ts).
 *
 * Query rule (chosen not to flatter any method):
 * - A query is a record's TITLE IN THE OTHER LANGUAGE than the library's captions. The library is
 *   imported once and its caption index is rebuilt twice: "zh library" holds title_zh + caption_zh
 *   only, "en library" title_en + caption_en only (context_en and the auto tags are left out: they
 *   mix both languages). So caption search must cross languages through the lexicon, as a
 *   technician's English query against Chinese museum captions must; the same title as the query
 *   would find itself verbatim. Vectors never see the library's captions.
 * - Splits: the motif pack's held-out records (MODEL_CARD.md: int(sha256(id)[:8], 16) % 5 == 0, 47
 *   records, never trained on), and all 284 (the other 237 were the pack's training pairs: vector
 *   figures on them are flattered by training, caption figures are not). The gallery is always the
 *   whole library (284 images), as in the app; a split only chooses the queries.
 * - text->image: query = title, relevant = its image. image->text: query = the image, candidates =
 *   the 284 titles in the query language, relevant = its own title. Caption search cannot take an
 *   image, and hybrid then has a single ranking: both are "n/a" for image->text.
 * - Composites: for every record a 2x2 and a 3x3 mosaic (tiles 224 px) with the record's image in
 *   one cell and other records' images in the rest (cell and distractors from a fixed-seed PRNG).
 *   text->image: query = the record's title, gallery = the 284 mosaics of that size, relevant = the
 *   mosaic holding it. image->text: query = the mosaic, relevant = the target's title only (the
 *   distractors' titles count as misses). Mosaics have no captions: caption and hybrid are "n/a".
 *   Here the motif is a quarter or a ninth of the image, where local alignment (LACLIP's crops)
 *   should matter.
 * Methods: caption (FTS5 + lexicon, bm25), global (<g, t>, beta = 1), LACLIP (the pack's beta 0.5
 * and the paper figure's beta 0, tau from the pack), hybrid (caption + LACLIP beta 0.5 fused by RRF,
 * k = 60, through motifs.search's own code).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { pilBicubicResize, type RgbImage } from '../src/shared/motif/pil-bicubic';
import { Library } from '../src/main/services/library';
import { importMotifs } from '../src/main/services/motif/import';
import { LaclipIndex, storeMotifEmbeddings, type EmbeddingModel } from '../src/main/services/motif/index/laclip-index';
import { combinedVector, cropWeights, dot, normalise } from '../src/main/services/motif/index/laclip';
import { MotifEncoder, readMotifModel, type ImageEmbeddings } from '../src/main/services/motif/encoder';
import { decodeRgb, toPixels } from '../src/main/services/motif/preprocess';
import { searchMotifs, type SearchSides } from '../src/main/services/motif/motif-search';
import { motifTextColumns } from '../src/main/services/motif/schema';
import { InferenceWorker, forkLauncher } from '../src/main/workers';
import type { MotifSearchMode, MotifVectorStatus } from '../src/shared/contract/motifs';
import { sharedData } from '../src/main/shared-data';
import { mulberry32 } from '../src/shared/mulberry32';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HERITAGE = sharedData('heritage_motifs');
const PACK = path.join(ROOT, 'resources/models/motif-default');
const TILE = 224;
const KS = [1, 5, 10] as const;

interface Rec {
  id: string;
  image: string;
  title_zh: string;
  title_en: string;
  caption_zh: string;
  caption_en: string;
}
type Lang = 'zh' | 'en';
const other = (l: Lang): Lang => (l === 'zh' ? 'en' : 'zh');
const heldOut = (id: string) => parseInt(createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 8), 16) % 5 === 0;


/** Ranks (1-based, Infinity when absent) -> R@1/5/10 in %. */
const recall = (ranks: number[]) => KS.map((k) => (100 * ranks.filter((r) => r <= k).length) / ranks.length);
const fmt = (r: number[] | null) => (r ? r.map((x) => x.toFixed(1).padStart(5)).join(' / ') : '  n/a'.padEnd(19));

/** 1-based rank of `want` by descending score, ties counted against it. */
function rankOf(scores: ArrayLike<number>, want: number): number {
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (i !== want && scores[i]! >= scores[want]!) above++;
  return above + 1;
}

/** A mosaic of n x n tiles, each image stretched to TILE x TILE with PIL's bicubic. */
function mosaic(images: RgbImage[], n: number): RgbImage {
  const side = n * TILE;
  const data = new Uint8Array(side * side * 3);
  images.forEach((img, cell) => {
    const tile = pilBicubicResize(img, TILE, TILE);
    const x0 = (cell % n) * TILE;
    const y0 = Math.floor(cell / n) * TILE;
    for (let y = 0; y < TILE; y++) data.set(tile.data.subarray(y * TILE * 3, (y + 1) * TILE * 3), ((y0 + y) * side + x0) * 3);
  });
  return { width: side, height: side, channels: 3, data };
}

const laclipVector = (e: ImageEmbeddings, beta: number, tau: number) => combinedVector(e.global, e.crops, cropWeights(e.global, e.crops, tau), beta);

async function main(): Promise<void> {
  const started = performance.now();
  const records = fs
    .readFileSync(path.join(HERITAGE, 'captions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Rec);
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  const pack = readMotifModel(PACK);
  const encoder = new MotifEncoder(worker, pack);
  const { beta: packBeta, tau } = pack.spec.laclip;
  const model: EmbeddingModel = { packId: pack.id, packVersion: pack.version, dim: pack.spec.embeddingDim };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-eval-motifs-'));
  try {
    // --- preprocessing parity (the golden of tools/models/motif/golden/motif-preprocess.*)
    await parity(encoder);

    // --- embeddings of every image and every title
    process.stderr.write('encoding images and titles...\n');
    const decoded: RgbImage[] = [];
    const emb: ImageEmbeddings[] = [];
    for (const r of records) {
      const img = await decodeRgb(fs.readFileSync(path.join(HERITAGE, r.image)));
      decoded.push(img);
      emb.push(await encoder.encodeDecoded(img));
    }
    const titles: Record<Lang, Float32Array[]> = { zh: [], en: [] };
    for (const r of records) {
      titles.zh.push(await encoder.encodeText(r.title_zh));
      titles.en.push(await encoder.encodeText(r.title_en));
    }

    // --- one library, its caption index rebuilt per language
    const lib = Library.open(path.join(tmp, 'library'));
    const captions = path.join(tmp, 'captions.jsonl');
    fs.writeFileSync(captions, records.map((r) => JSON.stringify({ id: r.id, image: r.image, title_zh: r.title_zh, title_en: r.title_en, caption_zh: r.caption_zh, caption_en: r.caption_en })).join('\n') + '\n');
    const report = await importMotifs(lib, { folder: HERITAGE, captions });
    if (report.imported !== records.length) throw new Error(`imported ${report.imported} of ${records.length}`);
    const motifIdOf = new Map((lib.db.prepare(`SELECT id, json_extract(attributes, '$.sourceKey') AS key FROM motifs`).all() as { id: string; key: string }[]).map((r) => [r.key, r.id]));
    records.forEach((r, i) => storeMotifEmbeddings(lib.db, motifIdOf.get(r.id)!, model, emb[i]!, tau));
    const indexes = new Map([1, packBeta, 0].map((b) => [b, LaclipIndex.load(lib.db, model, { beta: b, tau }, { threads: 1 })]));
    const status: MotifVectorStatus = { state: 'ready', pack: { id: pack.id, version: pack.version, dim: model.dim }, motifs: records.length, indexed: records.length, message: '', offer: null };
    const indexOfMotif = new Map(records.map((r, i) => [motifIdOf.get(r.id)!, i]));

    const setLibraryLanguage = (lang: Lang) => {
      lib.db.transaction(() => {
        lib.db.prepare('DELETE FROM motif_text').run();
        const insert = lib.db.prepare('INSERT INTO motif_text (motif_id, title, caption, context) VALUES (@motif_id, @title, @caption, @context)');
        for (const r of records) {
          insert.run(
            motifTextColumns({
              id: motifIdOf.get(r.id)!,
              caption_zh: lang === 'zh' ? r.caption_zh : null,
              caption_en: lang === 'en' ? r.caption_en : null,
              attributes: JSON.stringify(lang === 'zh' ? { titleZh: r.title_zh } : { titleEn: r.title_en }),
            }),
          );
        }
      })();
    };

    /** Rank of record `i` for a text query through motifs.search's code. */
    const searchRank = async (lang: Lang, i: number, mode: MotifSearchMode, beta: number): Promise<number> => {
      const sides: SearchSides = {
        db: lib.db,
        status,
        vectors: { index: indexes.get(beta)!, encodeText: async () => titles[lang][i]!, encodeImage: () => Promise.reject(new Error('text only')) },
      };
      const text = lang === 'zh' ? records[i]!.title_zh : records[i]!.title_en;
      const found = await searchMotifs(sides, { text, mode, limit: 10 });
      const at = found.hits.findIndex((h) => indexOfMotif.get(h.motif.id) === i);
      return at < 0 ? Infinity : at + 1;
    };

    const splits: [string, number[]][] = [
      ['held-out (47)', records.flatMap((r, i) => (heldOut(r.id) ? [i] : []))],
      ['all (284)', records.map((_, i) => i)],
    ];
    const methods: { name: string; mode: MotifSearchMode | null; beta: number }[] = [
      { name: 'caption (FTS5 + lexicon)', mode: 'caption', beta: packBeta },
      { name: 'global (beta = 1)', mode: 'vector', beta: 1 },
      { name: `LACLIP (beta = ${packBeta})`, mode: 'vector', beta: packBeta },
      { name: 'LACLIP (beta = 0)', mode: 'vector', beta: 0 },
      { name: `hybrid (RRF k=60, LACLIP ${packBeta})`, mode: 'hybrid', beta: packBeta },
    ];

    console.log(`\nHeritage motifs: query = title in one language, library captions in the other; gallery ${records.length} images`);
    console.log(`pack ${pack.id} ${pack.version} (dim ${model.dim}, tau ${tau}); R@1 / R@5 / R@10 in %`);
    console.log(`| split | query -> library | method | text -> image | image -> text |`);
    console.log(`| --- | --- | --- | --- | --- |`);
    for (const [splitName, queries] of splits) {
      for (const lang of ['en', 'zh'] as Lang[]) {
        setLibraryLanguage(other(lang));
        for (const m of methods) {
          const t2i: number[] = [];
          for (const i of queries) t2i.push(await searchRank(lang, i, m.mode!, m.beta));
          let i2t: number[] | null = null;
          if (m.mode === 'vector') {
            i2t = queries.map((i) => {
              const c = laclipVector(emb[i]!, m.beta, tau);
              return rankOf(titles[lang].map((t) => dot(c, t)), i);
            });
          }
          console.log(`| ${splitName} | ${lang} -> ${other(lang)} | ${m.name} | ${fmt(recall(t2i))} | ${fmt(i2t ? recall(i2t) : null)} |`);
        }
      }
    }
    for (const ix of indexes.values()) ix.close();
    lib.close();

    // --- composites
    console.log(`\nComposites: one record's image in an n x n mosaic of ${TILE} px tiles among other records' images; gallery ${records.length} mosaics per size`);
    console.log(`| mosaic | split | query | method | text -> mosaic | mosaic -> text |`);
    console.log(`| --- | --- | --- | --- | --- | --- |`);
    for (const n of [2, 3]) {
      process.stderr.write(`encoding ${n}x${n} mosaics...\n`);
      const random = mulberry32(20261126 + n);
      const mosaics: ImageEmbeddings[] = [];
      for (let i = 0; i < records.length; i++) {
        const cells = n * n;
        const target = Math.floor(random() * cells);
        const chosen = new Set<number>([i]);
        const tiles: RgbImage[] = [];
        for (let c = 0; c < cells; c++) {
          if (c === target) {
            tiles.push(decoded[i]!);
            continue;
          }
          let d: number;
          do d = Math.floor(random() * records.length);
          while (chosen.has(d));
          chosen.add(d);
          tiles.push(decoded[d]!);
        }
        mosaics.push(await encoder.encodeDecoded(mosaic(tiles, n)));
      }
      for (const [splitName, queries] of splits) {
        for (const lang of ['en', 'zh'] as Lang[]) {
          for (const m of methods) {
            if (m.mode !== 'vector') {
              console.log(`| ${n}x${n} | ${splitName} | ${lang} | ${m.name} | ${fmt(null)} | ${fmt(null)} |`);
              continue;
            }
            const combined = mosaics.map((e) => laclipVector(e, m.beta, tau));
            const t2i = queries.map((i) => rankOf(combined.map((c) => dot(c, titles[lang][i]!)), i));
            const i2t = queries.map((i) => rankOf(titles[lang].map((t) => dot(combined[i]!, t)), i));
            console.log(`| ${n}x${n} | ${splitName} | ${lang} | ${m.name} | ${fmt(recall(t2i))} | ${fmt(recall(i2t))} |`);
          }
        }
      }
    }
    const chance = KS.map((k) => ((100 * k) / records.length).toFixed(1)).join(' / ');
    console.log(`\nchance: ${chance}; ${((performance.now() - started) / 1000).toFixed(0)} s on ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await worker.shutdown();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** TS preprocessing (PIL bicubic) and libvips cubic against the golden tensor and embeddings. */
async function parity(encoder: MotifEncoder): Promise<void> {
  const dir = path.join(ROOT, 'tools/models/motif/golden');
  const index = JSON.parse(fs.readFileSync(path.join(dir, 'motif-preprocess.json'), 'utf8')) as {
    meta: { image: string };
    arrays: Record<string, { offset: number; bytes: number }>;
  };
  const blob = fs.readFileSync(path.join(dir, 'motif-preprocess.bin'));
  const array = (k: string) => new Float32Array(new Uint8Array(blob.subarray(index.arrays[k]!.offset, index.arrays[k]!.offset + index.arrays[k]!.bytes)).buffer);
  const bytes = fs.readFileSync(path.join(ROOT, index.meta.image));
  const spec = encoder.model.spec.preprocess;
  const s = spec.imageSize;
  const image = await decodeRgb(bytes);
  const boxes = (await encoder.encodeImage(bytes)).boxes;
  const viaSharp = async (box: [number, number, number, number] | null) => {
    let img = sharp(bytes);
    if (box) img = img.extract({ left: box[0], top: box[1], width: box[2] - box[0], height: box[3] - box[1] });
    const { data } = await img.resize(s, s, { fit: 'fill', kernel: 'cubic' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return toPixels({ width: s, height: s, channels: 3, data: new Uint8Array(data) }, spec);
  };
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
    return m;
  };
  const golden = { pixels: array('pixels'), global: normalise(array('global')), crops: array('crops') };
  const d = golden.global.length;
  const goldenCrop = (j: number) => normalise(golden.crops.slice(j * d, (j + 1) * d));
  console.log(`Preprocessing parity: ${index.meta.image} (${image.width}x${image.height}) against PIL (motif-preprocess golden)`);
  console.log('| resampler | max abs diff, normalised pixels | max abs diff, unit global embedding | max abs diff, unit crop embeddings |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, pixels] of [
    ['TS PIL bicubic (src/shared/motif/pil-bicubic.ts)', async (b: [number, number, number, number] | null) => toPixels(image, spec, b)],
    ['sharp / libvips cubic', viaSharp],
  ] as const) {
    const p = await pixels(null);
    const g = normalise(await encoder.imageFeatures(p));
    let cropWorst = 0;
    for (const [j, box] of boxes.entries()) cropWorst = Math.max(cropWorst, worst(normalise(await encoder.imageFeatures(await pixels(box))), goldenCrop(j)));
    console.log(`| ${name} | ${worst(p, golden.pixels).toExponential(2)} | ${worst(g, golden.global).toExponential(2)} | ${cropWorst.toExponential(2)} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
