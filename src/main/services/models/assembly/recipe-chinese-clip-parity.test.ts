import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertTokenizer } from '../../../../shared/motif/bert-tokenizer';
import { Golden } from '../../garment/testing/golden';
import { normalise } from '../../motif/index/laclip';
import { toPixels, type PixelSpec } from '../../motif/preprocess';
import { assembleFixture, caseErrors, MODEL_FIXTURES, type GoldenCase } from './test-fixture-packs';
import { tempDir } from './test-kit';

/**
 * The app's assembler on the committed tiny chinese-clip-motif recipe (transformers' ChineseCLIPModel
 * keys) against transformers itself (tools/models/recipes/fixture_goldens.py): text and image features
 * within 1e-5, and a motif search over five small images (the studio's WordPiece tokenizer and
 * PIL-exact preprocessing, cosine of normalised features) ranking them as Python does.
 */
interface Ranked {
  ranking: number[];
  scores: number[];
  smallestGap: number;
}
interface MotifMeta {
  cases: Record<string, GoldenCase>;
  queries: string[];
  search: Record<string, Ranked>;
}
type Graph = { file: string; inputs: Record<string, { name: string }>; outputs: Record<string, { name: string }> };
interface MotifManifest {
  motif: { graphs: Record<'text' | 'image', Graph>; preprocess: PixelSpec; tokenizer: { vocab: string; contextLength: number }; layout: string };
}

const golden = new Golden<MotifMeta>('golden', path.join(MODEL_FIXTURES, 'tiny-chinese-clip-motif'));
const root = tempDir('jinxiu-chinese-clip-parity-');
let pack: string;
let m: MotifManifest['motif'];
const sessions: Partial<Record<'text' | 'image', ort.InferenceSession>> = {};

beforeAll(async () => {
  pack = await assembleFixture(root, 'chinese-clip-motif');
  m = (JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as MotifManifest).motif;
  for (const g of ['text', 'image'] as const) sessions[g] = await ort.InferenceSession.create(path.join(pack, m.graphs[g].file), { executionProviders: ['cpu'] });
});
afterAll(async () => {
  for (const s of Object.values(sessions)) await s.release();
  fs.rmSync(root, { recursive: true, force: true });
});

async function features(graph: 'text' | 'image', feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const g = m.graphs[graph];
  const named = Object.fromEntries(Object.entries(feeds).map(([role, t]) => [g.inputs[role]!.name, t]));
  const out = await sessions[graph]!.run(named);
  return normalise(out[g.outputs.features!.name]!.data as Float32Array);
}

function textFeeds(ids: BigInt64Array): Record<string, ort.Tensor> {
  const dims = [1, ids.length];
  return {
    ids: new ort.Tensor('int64', ids, dims),
    attentionMask: new ort.Tensor('int64', ids.map((id) => (id === 0n ? 0n : 1n)), dims),
    tokenTypeIds: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

function expectRanking(scores: number[], want: Ranked, label: string): void {
  const ranking = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  expect(ranking, label).toEqual(want.ranking);
  for (let i = 0; i < scores.length; i++) expect(Math.abs(scores[i]! - want.scores[i]!), `${label} score ${i}`).toBeLessThanOrEqual(1e-5);
}

describe('chinese-clip-motif recipe assembled by the app', () => {
  it("gives transformers' ChineseCLIPModel text and image features within 1e-5", async () => {
    expect(m.layout).toBe('hf-chinese-clip');
    const errors = await caseErrors(pack, 'motif', golden);
    expect(Object.keys(errors).sort()).toEqual(['image', 'text']);
    for (const [name, roles] of Object.entries(errors)) {
      for (const [role, { worst, scale }] of Object.entries(roles)) {
        expect(worst, `${name}.${role}`).toBeLessThanOrEqual(1e-5);
        expect(scale, `${name}.${role} is near zero`).toBeGreaterThan(1e-3);
      }
    }
  });

  it('ranks five small images for Chinese text queries and an image query as the Python reference does', async () => {
    const tokenizer = new BertTokenizer(fs.readFileSync(path.join(pack, m.tokenizer.vocab), 'utf8'));
    const gallery: Float32Array[] = [];
    for (let i = 0; i < 5; i++) {
      const a = golden.array(`search/image${i}`);
      const image = { width: a.shape[1]!, height: a.shape[0]!, channels: 3 as const, data: a.data as Uint8Array };
      const s = m.preprocess.imageSize;
      gallery.push(await features('image', { pixels: new ort.Tensor('float32', toPixels(image, m.preprocess), [1, 3, s, s]) }));
    }
    const queryIds = golden.array('search/queryIds');
    const context = m.tokenizer.contextLength;
    for (const [q, query] of golden.meta.queries.entries()) {
      const ids = tokenizer.encodeInt64(query, context);
      // The studio's WordPiece gives the ids transformers' BertTokenizer gave Python.
      expect(Array.from(ids), query).toEqual(Array.from((queryIds.data as BigInt64Array).subarray(q * context, (q + 1) * context)));
      const text = await features('text', textFeeds(ids));
      expectRanking(gallery.map((g) => dot(g, text)), golden.meta.search[query]!, query);
    }
    expectRanking(gallery.map((g) => dot(g, gallery[2]!)), golden.meta.search.image2!, 'image query');
    // The rankings are not decided by rounding: Python's closest neighbours are further apart than the tolerance.
    for (const r of Object.values(golden.meta.search)) expect(r.smallestGap).toBeGreaterThan(1e-3);
  });
});
