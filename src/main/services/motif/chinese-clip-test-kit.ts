import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import type { MotifModelSearch, MotifSearchResult } from '../../../shared/contract/motifs';
import { Golden } from '../garment/testing/golden';
import { assembleFixture, MODEL_FIXTURES } from '../models/assembly/test-fixture-packs';

/**
 * A real library for the tests of motif search on an assembled hf-chinese-clip pack (the committed
 * tiny chinese-clip-motif recipe and twin): the five golden images imported as a heritage collection,
 * the pack as assembled and a beta-1 copy installed. Shared by the service test
 * (chinese-clip-pack.test.ts) and the CLI's (src/main/cli/motifs-chinese-clip.test.ts), so both hold
 * the same library to the same goldens (tools/models/recipes/fixture_goldens.py).
 */
export interface Ranked {
  ranking: number[];
  scores: number[];
  smallestGap: number;
}
export interface ChineseClipMeta {
  queries: string[];
  search: Record<string, Ranked>;
}

export const CHINESE_CLIP_FIXTURE = path.join(MODEL_FIXTURES, 'tiny-chinese-clip-motif');
export const chineseClipGolden = new Golden<ChineseClipMeta>('golden', CHINESE_CLIP_FIXTURE);
export const PACK_ID = 'jinxiu-chinese-clip-motif';
/**
 * The goldens rank by the cosine of whole-image features. LACLIP scores beta <g, t> + (1 - beta)
 * (crops), so a copy of the pack with beta = 1 (its manifest edited, nothing else) scores exactly
 * <g, t>: that copy, under this id, is held to the goldens' scores.
 */
export const GLOBAL_ID = 'jinxiu-chinese-clip-motif-global';
export const IMAGES = 5;

export interface ChineseClipLibrary {
  libraryDir: string;
  assembled: string;
  globalPack: string;
  /** The golden image index of each motif id. */
  imageOf: Map<string, number>;
  /** The library sha256 of each golden image, by golden index. */
  shaOf: string[];
}

/** The golden's uint8 HWC image as raw RGB for sharp. */
export function goldenImage(i: number): { data: Buffer; width: number; height: number } {
  const a = chineseClipGolden.array(`search/image${i}`);
  const data = a.data as Uint8Array;
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width: a.shape[1]!, height: a.shape[0]! };
}

/**
 * What the preparation needs of a Studio on the library. The tests open the Studio themselves: a
 * service module, tests' kits included, never imports the Studio that builds the services.
 */
export interface LibraryStudio {
  jobs: { waitFor(id: string): Promise<{ state: string; error?: unknown }> };
  motifs: {
    startImport(input: { folder: string }): { id: string };
    list(limit: number): { id: string; fileSha256: string; attributes: Record<string, unknown> }[];
  };
  models: { installFromPath(dir: string): Promise<unknown> };
}
export type OpenLibrary = (libraryDir: string, run: (s: LibraryStudio) => Promise<void>) => Promise<void>;

/** Assembles the pack under `root`, makes its beta-1 copy, imports the golden images and installs both packs. */
export async function prepareChineseClipLibrary(root: string, withStudio: OpenLibrary): Promise<ChineseClipLibrary> {
  const libraryDir = path.join(root, 'library');
  const assembled = await assembleFixture(path.join(root, 'assembly'), 'chinese-clip-motif');
  const globalPack = path.join(root, 'global-pack');
  fs.cpSync(assembled, globalPack, { recursive: true });
  const manifest = JSON.parse(fs.readFileSync(path.join(globalPack, 'manifest.json'), 'utf8')) as { id: string; motif: { laclip: { beta: number } } };
  manifest.id = GLOBAL_ID;
  manifest.motif.laclip.beta = 1;
  fs.writeFileSync(path.join(globalPack, 'manifest.json'), JSON.stringify(manifest, null, 2));

  // The five golden images as a heritage collection (PNG: the pixels survive exactly).
  const collection = path.join(root, 'collection');
  fs.mkdirSync(path.join(collection, 'images'), { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    const img = goldenImage(i);
    await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(path.join(collection, 'images', `swatch${i}.png`));
    lines.push(JSON.stringify({ id: `swatch${i}`, image: `images/swatch${i}.png`, caption_zh: `纹样 ${i}`, caption_en: `motif ${i}` }));
  }
  fs.writeFileSync(path.join(collection, 'captions.jsonl'), lines.join('\n') + '\n');

  const imageOf = new Map<string, number>();
  const shaOf: string[] = [];
  await withStudio(libraryDir, async (s) => {
    const imported = await s.jobs.waitFor(s.motifs.startImport({ folder: collection }).id);
    if (imported.state !== 'succeeded') throw new Error(`importing the golden images: ${JSON.stringify(imported.error ?? imported.state)}`);
    for (const installed of [assembled, globalPack]) await s.models.installFromPath(installed);
    for (const m of s.motifs.list(100)) {
      const i = Number(/^swatch(\d)$/.exec(String(m.attributes.sourceKey))![1]);
      imageOf.set(m.id, i);
      shaOf[i] = m.fileSha256;
    }
  });
  if (imageOf.size !== IMAGES) throw new Error(`expected ${IMAGES} golden motifs in the library, found ${imageOf.size}`);
  return { libraryDir, assembled, globalPack, imageOf, shaOf };
}

/** Scores by golden image index from a vector search that returned all five. */
export function scoresByImage(lib: ChineseClipLibrary, result: MotifSearchResult | MotifModelSearch): number[] {
  expect(result.hits).toHaveLength(IMAGES);
  const scores = new Array<number>(IMAGES).fill(Number.NaN);
  for (const h of result.hits) scores[lib.imageOf.get(h.motif.id)!] = h.score;
  return scores;
}

/** The hits in the golden's order, each score within `tolerance` of Python's. */
export function expectGolden(lib: ChineseClipLibrary, result: MotifSearchResult | MotifModelSearch, want: Ranked, label: string, tolerance: number): void {
  const scores = scoresByImage(lib, result);
  expect(result.hits.map((h) => lib.imageOf.get(h.motif.id)), `${label} ranking`).toEqual(want.ranking);
  for (let i = 0; i < IMAGES; i++) expect(Math.abs(scores[i]! - want.scores[i]!), `${label} score of image ${i}`).toBeLessThanOrEqual(tolerance);
}
