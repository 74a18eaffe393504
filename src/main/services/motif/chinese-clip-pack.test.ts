import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../../../shared/motif/bert-tokenizer';
import { Studio } from '../../studio';
import { InferenceWorker, forkLauncher } from '../../workers';
import {
  chineseClipGolden as golden,
  expectGolden,
  GLOBAL_ID,
  goldenImage,
  IMAGES,
  PACK_ID,
  prepareChineseClipLibrary,
  type ChineseClipLibrary,
} from './chinese-clip-test-kit';
import { MotifEncoder, readMotifModel } from './encoder';
import type { IndexReport } from './vectors';
import { tempDir } from './test-kit';

/**
 * The motif search of the studio on a pack assembled from OFA-Sys's Hugging Face Chinese-CLIP layout
 * (the committed tiny chinese-clip-motif recipe and twin, manifest motif.layout `hf-chinese-clip`):
 * its text graph takes input_ids, attention_mask and token_type_ids, where the bundled pack's takes
 * only the ids. Everything runs as the app does: the assembler, the installer, a real SQLite library,
 * the import and reindex jobs, the inference worker and motifs.search (the `jinxiu` CLI on the same
 * library: src/main/cli/motifs-chinese-clip.test.ts). The answers are held to transformers'
 * ChineseCLIPModel (tools/models/recipes/fixture_goldens.py) within 1e-5.
 *
 * The goldens rank by the cosine of whole-image features; the beta-1 copy of the pack
 * (chinese-clip-test-kit.ts) is held to the goldens' scores, the pack as assembled (beta 0.5) to its formula.
 */
const TOLERANCE = 1e-5;

const dirs: string[] = [];
let root: string;
let lib: ChineseClipLibrary;
let assembled: string;

async function openStudio<T>(libraryDir: string, run: (s: Studio) => Promise<T>): Promise<T> {
  const s = Studio.open({ libraryDir }).start();
  try {
    return await run(s);
  } finally {
    await s.close();
  }
}
const withStudio = <T>(run: (s: Studio) => Promise<T>): Promise<T> => openStudio(lib.libraryDir, run);

async function reindex(s: Studio, packId: string): Promise<IndexReport> {
  await s.models.setDefault(packId);
  const done = await s.jobs.waitFor(s.motifs.startReindex().id);
  expect(done.state, JSON.stringify(done.error ?? null)).toBe('succeeded');
  return done.result as IndexReport;
}

beforeAll(async () => {
  root = tempDir('jinxiu-motif-hf-clip-', dirs);
  lib = await prepareChineseClipLibrary(root, openStudio);
  assembled = lib.assembled;
}, 180_000);
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the motif encoder on an hf-chinese-clip pack', () => {
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  afterAll(() => worker.shutdown());

  it("feeds ids, attention mask and token types by the manifest's roles and gives transformers' text and image features", async () => {
    const encoder = new MotifEncoder(worker, readMotifModel(assembled));
    expect(encoder.model.spec.layout).toBe('hf-chinese-clip');
    const ids = golden.array('text/in/ids');
    const mask = golden.array('text/in/attentionMask');
    const context = ids.shape[1]!;
    const want = golden.float32('text/out/features');
    const dim = encoder.dim;
    for (let r = 0; r < ids.shape[0]!; r++) {
      const row = Array.from((ids.data as BigInt64Array).subarray(r * context, (r + 1) * context), Number);
      const tokens = Array.from((mask.data as BigInt64Array).subarray(r * context, (r + 1) * context)).filter((m) => m === 1n).length;
      const feeds = encoder.textFeeds({ ids: row, tokens });
      // The mask and the token types are the ones Python fed, position for position.
      expect(Array.from(feeds.attention_mask!.data as BigInt64Array)).toEqual(Array.from((mask.data as BigInt64Array).subarray(r * context, (r + 1) * context)));
      expect(Array.from(feeds.token_type_ids!.data as BigInt64Array).every((t) => t === 0n)).toBe(true);
      const got = await encoder.rowFeatures({ ids: row, tokens });
      const expected = want.subarray(r * dim, (r + 1) * dim);
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]!)))).toBeLessThanOrEqual(TOLERANCE);
    }
    const pixels = golden.array('image/in/pixels');
    const plane = pixels.data.length / pixels.shape[0]!;
    const image = golden.float32('image/out/features');
    for (let r = 0; r < pixels.shape[0]!; r++) {
      const got = await encoder.imageFeatures((pixels.data as Float32Array).subarray(r * plane, (r + 1) * plane));
      expect(Math.max(...Array.from(got, (v, i) => Math.abs(v - image[r * dim + i]!)))).toBeLessThanOrEqual(TOLERANCE);
    }
    await encoder.release();
  });

  it('without the attention mask the padded text reads differently: the mask is what the graph needs', async () => {
    // Guards the reason for the mask: were it dropped (all ones), the features would move past the tolerance.
    const encoder = new MotifEncoder(worker, readMotifModel(assembled));
    const query = golden.meta.queries[0]!;
    const vocab = fs.readFileSync(path.join(assembled, encoder.model.spec.tokenizer.vocab), 'utf8');
    const row = new BertTokenizer(vocab).encodeRow(query, encoder.model.spec.tokenizer.contextLength);
    const masked = await encoder.rowFeatures(row);
    const unmasked = await encoder.rowFeatures({ ids: row.ids, tokens: row.ids.length });
    expect(Math.max(...Array.from(masked, (v, i) => Math.abs(v - unmasked[i]!)))).toBeGreaterThan(1e-3);
    expect(Array.from(await encoder.textFeatures(query))).toEqual(Array.from(masked));
    await encoder.release();
  });
});

describe.sequential('motifs.search with an hf-chinese-clip pack as the default motif pack', () => {
  it("ranks the five images for the Chinese queries with transformers' scores (beta 1: whole-image cosine)", async () => {
    await withStudio(async (s) => {
      expect(await reindex(s, GLOBAL_ID)).toMatchObject({ pack: { id: GLOBAL_ID }, indexed: IMAGES, failed: 0 });
      expect(await s.motifs.vectorStatus()).toMatchObject({ state: 'ready', pack: { id: GLOBAL_ID }, indexed: IMAGES });
      for (const query of golden.meta.queries) {
        const found = await s.motifs.search({ text: query, mode: 'vector', limit: 10 });
        expect(found.used).toEqual(['vector']);
        expectGolden(lib, found, golden.meta.search[query]!, query, TOLERANCE);
      }
      // The rankings are not decided by rounding: Python's neighbours are further apart than the tolerance.
      for (const r of Object.values(golden.meta.search)) expect(r.smallestGap).toBeGreaterThan(10 * TOLERANCE);
    });
  });

  it('ranks them for an image query and for a region of a larger image that is that image', async () => {
    await withStudio(async (s) => {
      const want = golden.meta.search.image2!;
      const byImage = await s.motifs.search({ image: lib.shaOf[2]!, mode: 'vector', limit: 10 });
      expectGolden(lib, byImage, want, 'image 2', TOLERANCE);
      // Image 2 beside image 0 (twice as wide): its left half, as a region query, is image 2's pixels.
      const a = goldenImage(2);
      const b = goldenImage(0);
      const wide = Buffer.alloc(a.width * 2 * a.height * 3);
      for (let y = 0; y < a.height; y++) {
        a.data.copy(wide, y * a.width * 6, y * a.width * 3, (y + 1) * a.width * 3);
        b.data.copy(wide, y * a.width * 6 + a.width * 3, y * a.width * 3, (y + 1) * a.width * 3);
      }
      const file = path.join(root, 'two-swatches.png');
      await sharp(wide, { raw: { width: a.width * 2, height: a.height, channels: 3 } }).png().toFile(file);
      const region = await s.motifs.search({ image: file, box: [0, 0, 0.5, 1], mode: 'vector', limit: 10 });
      expectGolden(lib, region, want, 'left half of two swatches', TOLERANCE);
      const other = await s.motifs.search({ image: file, box: [0.5, 0, 1, 1], mode: 'vector', limit: 10 });
      expect(other.hits[0]!.motif.id).toBe([...lib.imageOf].find(([, i]) => i === 0)![0]);
    });
  });

  it('as assembled (beta 0.5) scores each motif beta <g, t> + (1 - beta) sum_j w_j <v_j, t>, its global part the golden cosine', async () => {
    await withStudio(async (s) => {
      expect(await reindex(s, PACK_ID)).toMatchObject({ pack: { id: PACK_ID }, indexed: IMAGES, failed: 0 });
      const query = golden.meta.queries[1]!;
      const found = await s.motifs.search({ text: query, mode: 'vector', limit: 10 });
      const weights = s.library.db.prepare('SELECT weight FROM motif_embeddings WHERE motif_id = ? AND pack_id = ? AND crop > 0 ORDER BY crop').pluck();
      for (const h of found.hits) {
        const w = weights.all(h.motif.id, PACK_ID) as number[];
        expect(h.crops.map((c) => c.index)).toEqual([0, 1, 2, 3, 4]);
        const local = h.crops.reduce((sum, c) => sum + w[c.index]! * c.score, 0);
        const global = golden.meta.search[query]!.scores[lib.imageOf.get(h.motif.id)!]!;
        expect(Math.abs(h.score - (0.5 * global + 0.5 * local)), h.motif.id).toBeLessThanOrEqual(TOLERANCE);
      }
      // A hybrid search fuses the captions' ranking with this one, as with the bundled pack.
      expect((await s.motifs.search({ text: `${query} 纹样` })).used).toEqual(['caption', 'vector']);
    });
  });
});
