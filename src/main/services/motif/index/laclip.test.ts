import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Library } from '../../library';
import { importMotifs } from '../import';
import { HERITAGE_DIR, heritageSlice } from '../test-kit';
import { bestCrop, combinedVector, cropWeights, dot, laclipScore, normalise } from './laclip';
import { LaclipIndex, storeMotifEmbeddings, type EmbeddingModel } from './laclip-index';
import { gaussian, rng, unitNear } from './test-vectors';

const normal = gaussian(rng(2024));
const unit = (dim: number, near: Float32Array | null = null, spread = 1) => unitNear(new Float32Array(dim), near, spread, normal);

/** An image: a global embedding and k crops that roughly agree with it (CLIP crops of one image do). */
function image(dim: number, k: number) {
  const global = unit(dim);
  const crops = Array.from({ length: k }, () => unit(dim, global, 1.5 / Math.sqrt(dim)));
  return { global, crops };
}

describe('LACLIP scoring', () => {
  it('weights crops by softmax(<v_j, g> / tau), summing to one', () => {
    const { global, crops } = image(32, 9);
    for (const tau of [0.01, 0.1, 1]) {
      const w = cropWeights(global, crops, tau);
      const e = crops.map((v) => Math.exp(dot(v, global) / tau));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((x, j) => expect(w[j]).toBeCloseTo(x / sum, 12));
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    // A tiny tau never overflows: the weight goes to the crop that agrees best with the image.
    const sharp = cropWeights(global, crops, 1e-6);
    const best = crops.map((v) => dot(v, global)).indexOf(Math.max(...crops.map((v) => dot(v, global))));
    expect(sharp[best]).toBeCloseTo(1, 6);
  });

  it('scores with one combined vector exactly as the formula does, for any beta', () => {
    for (const beta of [0, 0.3, 0.5, 1]) {
      for (let trial = 0; trial < 20; trial++) {
        const { global, crops } = image(64, 1 + (trial % 9));
        const w = cropWeights(global, crops, 0.1);
        const t = unit(64);
        const c = combinedVector(global, crops, w, beta);
        expect(dot(c, t)).toBeCloseTo(laclipScore(global, crops, w, t, beta), 6);
      }
    }
    const { global } = image(16, 0);
    const t = unit(16);
    expect(dot(combinedVector(global, [], [], 0.3), t)).toBeCloseTo(dot(global, t), 6);
  });
});

describe('LaclipIndex over the library', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('stores embeddings with their weights and finds the motifs the formula ranks first, with the best crop', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-laclip-'));
    dirs.push(dir);
    const lib = Library.open(path.join(dir, 'lib'));
    try {
      await importMotifs(lib, { folder: HERITAGE_DIR, captions: heritageSlice(dir, 12) });
      const ids = (lib.db.prepare('SELECT id FROM motifs ORDER BY id').pluck().all() as string[]);
      expect(ids).toHaveLength(12);
      const model: EmbeddingModel = { packId: 'test-clip', packVersion: '1', dim: 64 };
      const images = new Map(ids.map((id, i) => [id, image(64, i % 4 === 0 ? 0 : 9)]));
      for (const [id, e] of images) storeMotifEmbeddings(lib.db, id, model, e, 0.1);
      const stored = lib.db.prepare("SELECT crop, weight FROM motif_embeddings WHERE motif_id = ? ORDER BY crop").all(ids[1]) as { crop: number; weight: number | null }[];
      expect(stored).toHaveLength(10);
      // The whole image's row records the tau its crop weights were computed with.
      expect(stored[0]!.weight).toBe(0.1);
      const w = cropWeights(images.get(ids[1]!)!.global, images.get(ids[1]!)!.crops, 0.1);
      stored.slice(1).forEach((r, j) => expect(r.weight).toBeCloseTo(w[j]!, 12));

      for (const beta of [0, 0.5, 1]) {
        const index = LaclipIndex.load(lib.db, model, { beta, tau: 0.1 }, { threads: 2 });
        try {
          expect(index.size).toBe(12);
          for (let q = 0; q < 5; q++) {
            const t = normalise(unit(64, images.get(ids[q * 2]!)!.global, 0.1));
            const formula = ids
              .map((id) => {
                const e = images.get(id)!;
                return { id, s: laclipScore(e.global, e.crops, cropWeights(e.global, e.crops, 0.1), t, beta) };
              })
              .sort((a, b) => b.s - a.s);
            const hits = await index.search(t, 5);
            expect(hits.map((h) => h.motifId)).toEqual(formula.slice(0, 5).map((f) => f.id));
            hits.forEach((h, i) => expect(h.score).toBeCloseTo(formula[i]!.s, 5));
            for (const h of hits) expect(h.crop).toEqual(bestCrop(images.get(h.motifId)!.crops, t));
          }
        } finally {
          index.close();
        }
      }
      // Another model's rows are not mixed in, and deleting a motif removes its embeddings.
      const other = LaclipIndex.load(lib.db, { ...model, packVersion: '2' });
      expect(other.size).toBe(0);
      other.close();
      lib.db.prepare('DELETE FROM motifs WHERE id = ?').run(ids[0]);
      expect(lib.db.prepare('SELECT count(*) FROM motif_embeddings WHERE motif_id = ?').pluck().get(ids[0])).toBe(0);
      expect(lib.db.prepare('SELECT count(*) FROM motif_text WHERE motif_id = ?').pluck().get(ids[0])).toBe(0);
    } finally {
      lib.close();
    }
  });

  it('refuses an embedding of the wrong dimension and changes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-laclip-'));
    dirs.push(dir);
    const lib = Library.open(dir);
    try {
      expect(() => storeMotifEmbeddings(lib.db, 'x', { packId: 'p', packVersion: '1', dim: 8 }, { global: new Float32Array(7), crops: [] })).toThrow(/dimension 7/);
      expect(lib.db.prepare('SELECT count(*) FROM motif_embeddings').pluck().get()).toBe(0);
    } finally {
      lib.close();
    }
  });
});
