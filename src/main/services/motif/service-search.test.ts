import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MotifSearchRequest, type MotifSearchResult } from '../../../shared/contract/motifs';
import { Studio } from '../../studio';
import { reciprocalRankFusion } from './fusion';
import { cropWeights } from './index/laclip';
import type { IndexReport } from './vectors';
import { HERITAGE_DIR, heritageSlice, tempDir } from './test-kit';

// motifs.search, vectorStatus and reindex on a real library, the real default motif pack (copied so
// its manifest can be changed: a new tau, a new version) and the real inference worker.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const PACK = path.join(ROOT, 'resources/models/motif-default');
const packPresent = fs.existsSync(path.join(PACK, 'manifest.json'));
const MOTIFS = 8;

const dirs: string[] = [];
let root: string;
let libraryDir: string;

/** A resources/models folder holding the default pack with its manifest changed by `edit`. */
function resources(name: string, edit: (m: { version: string; motif: { laclip: { tau: number } } }) => void): string {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'motif-default'), { recursive: true });
  for (const f of fs.readdirSync(PACK)) fs.copyFileSync(path.join(PACK, f), path.join(dir, 'motif-default', f));
  const manifest = JSON.parse(fs.readFileSync(path.join(PACK, 'manifest.json'), 'utf8')) as Parameters<typeof edit>[0];
  edit(manifest);
  fs.writeFileSync(path.join(dir, 'motif-default', 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'catalogue.json'), JSON.stringify({ packs: [] }));
  return dir;
}

async function withStudio<T>(modelsResourcesDir: string, run: (s: Studio) => Promise<T>): Promise<T> {
  const s = Studio.open({ libraryDir, modelsResourcesDir }).start();
  try {
    return await run(s);
  } finally {
    await s.close();
  }
}

async function reindex(s: Studio): Promise<IndexReport> {
  const done = await s.jobs.waitFor(s.motifs.startReindex().id);
  expect(done.state).toBe('succeeded');
  return done.result as IndexReport;
}

const ids = (r: MotifSearchResult) => r.hits.map((h) => h.motif.id);
let base: string;

beforeAll(async () => {
  root = tempDir('jinxiu-motif-hybrid-', dirs);
  libraryDir = path.join(root, 'library');
  base = resources('base', () => {});
  await withStudio(base, async (s) => {
    const job = s.motifs.startImport({ folder: HERITAGE_DIR, captions: heritageSlice(root, MOTIFS) });
    expect((await s.jobs.waitFor(job.id)).state).toBe('succeeded');
  });
}, 120_000);
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.runIf(packPresent).sequential('motifs.search', () => {
  it('says the vectors are missing and offers the job; hybrid falls back to captions, vector answers empty', async () => {
    await withStudio(base, async (s) => {
      const status = await s.motifs.vectorStatus();
      expect(status).toMatchObject({ state: 'missing', motifs: MOTIFS, indexed: 0, offer: { channel: 'motifs.reindex' } });
      const hybrid = await s.motifs.search({ text: 'Buddha' });
      expect(hybrid.used).toEqual(['caption']);
      expect(hybrid.vectors.state).toBe('missing');
      expect(hybrid.hits.length).toBeGreaterThan(0);
      expect(hybrid.hits.every((h) => h.crops.length === 0 && h.crop === null && h.ranks.vector === null)).toBe(true);
      const vector = await s.motifs.search({ text: 'Buddha', mode: 'vector' });
      expect(vector).toMatchObject({ used: [], hits: [], vectors: { state: 'missing', offer: { channel: 'motifs.reindex' } } });
    });
  });

  it('after the reindex job fuses caption and vector rankings by RRF, with every crop scored for the heatmap', async () => {
    await withStudio(base, async (s) => {
      const report = await reindex(s);
      expect(report).toMatchObject({ indexed: MOTIFS, failed: 0, reweighed: 0, dropped: 0 });
      expect((await s.motifs.vectorStatus()).state).toBe('ready');
      const text = '阿弥陀 Buddha';
      const captions = await s.motifs.search({ text, mode: 'caption', limit: 100 });
      const vectors = await s.motifs.search({ text, mode: 'vector', limit: 100 });
      expect(vectors.hits).toHaveLength(MOTIFS);
      expect(captions.used).toEqual(['caption']);
      for (const k of [60, 1]) {
        const hybrid = await s.motifs.search({ text, rrfK: k });
        expect(hybrid.used).toEqual(['caption', 'vector']);
        expect(ids(hybrid)).toEqual(reciprocalRankFusion([ids(captions), ids(vectors)], k).map((f) => f.id));
      }
      const hybrid = await s.motifs.search({ text });
      for (const h of hybrid.hits) {
        expect(h.crops).toHaveLength(5);
        for (const c of h.crops) for (const v of c.box) expect(v >= 0 && v <= 1).toBe(true);
        expect(h.crop!.score).toBe(Math.max(...h.crops.map((c) => c.score)));
        // Crop 3 is the bottom-right tile of the 2x2 grid: it ends at the image's corner.
        expect(h.crops[3]!.box.slice(2)).toEqual([1, 1]);
      }
      const top = hybrid.hits.find((h) => h.ranks.caption === 1)!;
      expect(top.ranks.vector).toBe(ids(vectors).indexOf(top.motif.id) + 1);
    });
  }, 120_000);

  it('searches by a library image, the same image by path, and a region of it', async () => {
    await withStudio(base, async (s) => {
      const motif = s.motifs.list(1)[0]!;
      const bySha = await s.motifs.search({ image: motif.fileSha256 });
      expect(bySha.used).toEqual(['vector']);
      expect(bySha.hits[0]!.motif.id).toBe(motif.id);
      const file = path.join(root, 'query.img');
      fs.writeFileSync(file, await s.library.files.read(motif.fileSha256));
      expect(ids(await s.motifs.search({ image: file }))).toEqual(ids(bySha));
      // The top-left quarter: the motif's own top-left crop (crop 0) agrees with it best of its crops.
      const region = await s.motifs.search({ image: motif.fileSha256, box: [0, 0, 0.5, 0.5], mode: 'vector' });
      expect(region.query).toEqual({ image: motif.fileSha256, box: [0, 0, 0.5, 0.5] });
      const self = region.hits.find((h) => h.motif.id === motif.id)!;
      expect(self.crop!.index).toBe(0);
      expect(self.crop!.score).toBeGreaterThan(0.97);
    });
  }, 120_000);

  it('refuses what it cannot search with a clear message', async () => {
    await withStudio(base, async (s) => {
      const sha = s.motifs.list(1)[0]!.fileSha256;
      await expect(s.motifs.search({ image: sha, mode: 'caption' })).rejects.toThrow(/no words/);
      await expect(s.motifs.search({ image: 'relative/query.png' })).rejects.toThrow(/absolute path/);
      await expect(s.motifs.search({ image: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(s.motifs.search({ image: path.join(root, 'nowhere.png') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const notImage = path.join(root, 'not-an-image.png');
      fs.writeFileSync(notImage, 'text');
      await expect(s.motifs.search({ image: notImage })).rejects.toThrow(/cannot be read/);
      expect(MotifSearchRequest.safeParse({ image: sha, box: [0.5, 0, 0.4, 1] }).success).toBe(false);
      expect(MotifSearchRequest.safeParse({ image: sha, box: [0, 0, 1.2, 1] }).success).toBe(false);
      expect(MotifSearchRequest.safeParse({ text: 'x', image: sha }).success).toBe(false);
    });
  });

  it('sees a tau change as stale weights and re-weighs without encoding an image', async () => {
    await withStudio(resources('tau', (m) => void (m.motif.laclip.tau = 0.05)), async (s) => {
      expect(await s.motifs.vectorStatus()).toMatchObject({ state: 'stale', offer: { channel: 'motifs.reindex' } });
      expect(await reindex(s)).toMatchObject({ total: 0, indexed: 0, reweighed: MOTIFS });
      expect((await s.motifs.vectorStatus()).state).toBe('ready');
      const rows = s.library.db.prepare("SELECT crop, weight, vector FROM motif_embeddings WHERE motif_id = ? ORDER BY crop").all(s.motifs.list(1)[0]!.id) as { crop: number; weight: number; vector: Buffer }[];
      const v = rows.map((r) => new Float32Array(r.vector.buffer.slice(r.vector.byteOffset, r.vector.byteOffset + r.vector.byteLength)));
      const want = cropWeights(v[0]!, v.slice(1), 0.05);
      expect(rows[0]!.weight).toBe(0.05);
      rows.slice(1).forEach((r, j) => expect(r.weight).toBeCloseTo(want[j]!, 12));
    });
  }, 120_000);

  it('sees a new pack version as stale, keeps answering by captions, and re-indexes as a job', async () => {
    await withStudio(resources('v2', (m) => void (m.version = '0.1.1-test')), async (s) => {
      const status = await s.motifs.vectorStatus();
      expect(status.state).toBe('stale');
      expect(status.message).toMatch(/0\.1\.0/);
      const hybrid = await s.motifs.search({ text: 'Buddha' });
      expect(hybrid).toMatchObject({ used: ['caption'], vectors: { state: 'stale' } });
      expect(await reindex(s)).toMatchObject({ indexed: MOTIFS, failed: 0, dropped: MOTIFS * 6 });
      expect(await s.motifs.vectorStatus()).toMatchObject({ state: 'ready', pack: { version: '0.1.1-test' }, offer: null });
      expect((await s.motifs.search({ text: 'Buddha' })).used).toEqual(['caption', 'vector']);
    });
  }, 120_000);
});
