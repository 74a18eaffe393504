import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceWorker, forkLauncher } from '../../workers';
import type { MotifSection } from '../../../shared/packs/manifest';
import { MotifEncoder, readMotifModel } from './encoder';
import { cropWeights, dot, laclipScore, normalise } from './index/laclip';
import { HERITAGE_DIR, tempDir } from './test-kit';

// The default motif pack (tools/models/motif builds it) and the outputs its Python reference
// (onnxruntime in Python on the same graphs) recorded for it. Both are committed, so a pack that no
// longer matches its goldens is a failure to fix, never a reason to skip the parity checks.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const PACK = path.join(ROOT, 'resources/models/motif-default');
const GOLDEN = path.join(ROOT, 'tools/models/motif/golden/motif-default.json');

interface Golden {
  pack: { id: string; version: string; files: Record<string, string> };
  imageSize: number;
  texts: { text: string; ids: number[]; unnorm: number[] }[];
  images: { k: number; unnorm: number[] }[];
  laclip: { tau: number; global: number; crops: number[]; scoresByBeta: Record<string, number[]> };
}
const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Golden;
/** The pack files whose bytes differ from the ones the goldens were made from (the pack is rebuilt as its trainer changes). */
const changed = ['text.onnx', 'image.onnx', 'vocab.txt'].filter((f) => {
  const file = path.join(PACK, f);
  return !fs.existsSync(file) || createHash('sha256').update(fs.readFileSync(file)).digest('hex') !== golden.pack.files[f];
});

const closeTo = (got: Float32Array, want: number[], tol: number) => {
  expect(got.length).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
  expect(worst / scale).toBeLessThan(tol);
};

describe('LACLIP scores against the pack reference', () => {
  it('gives the reference score for every text and beta', () => {
    const g = golden;
    const unit = (v: number[]) => normalise(Float32Array.from(v));
    const global = unit(g.images[g.laclip.global]!.unnorm);
    const crops = g.laclip.crops.map((k) => unit(g.images[k]!.unnorm));
    const w = cropWeights(global, crops, g.laclip.tau);
    for (const [beta, scores] of Object.entries(g.laclip.scoresByBeta)) {
      g.texts.forEach((t, i) => expect(laclipScore(global, crops, w, unit(t.unnorm), Number(beta))).toBeCloseTo(scores[i]!, 5));
    }
  });
});

describe('MotifEncoder through the inference worker (default motif pack)', () => {
  beforeAll(() => {
    if (changed.length > 0) {
      throw new Error(
        `resources/models/motif-default (${changed.join(', ')}) is not the pack ${path.relative(ROOT, GOLDEN)} was made from: ` +
          'regenerate the goldens with `tools/models/.venv/bin/python -m tools.models golden motif` and commit them with the pack.',
      );
    }
  });
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  const encoder = new MotifEncoder(worker, readMotifModel(PACK));
  afterAll(() => worker.shutdown());

  it('gives the reference text features (tokenizer + text graph)', async () => {
    for (const t of golden.texts) closeTo(await encoder.textFeatures(t.text), t.unnorm, 1e-4);
  });

  it('gives the reference image features for the reference input', async () => {
    const s = golden.imageSize;
    for (const img of golden.images) {
      const pixels = new Float32Array(3 * s * s);
      for (let c = 0; c < 3; c++) for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) {
        pixels[c * s * s + y * s + x] = 1.5 * Math.sin(0.07 * (img.k + 1) * x + 0.05 * y + 1.3 * c);
      }
      closeTo(await encoder.imageFeatures(pixels), img.unnorm, 1e-4);
    }
  });

  it('encodes a real motif photo as a global embedding and the pack scheme of crops, all unit length', async () => {
    const bytes = fs.readFileSync(path.join(HERITAGE_DIR, 'images', fs.readdirSync(path.join(HERITAGE_DIR, 'images'))[0]!));
    const e = await encoder.encodeImage(bytes);
    expect(e.crops).toHaveLength(5);
    expect(e.boxes).toHaveLength(5);
    for (const v of [e.global, ...e.crops]) {
      expect(v).toHaveLength(encoder.dim);
      expect(dot(v, v)).toBeCloseTo(1, 5);
    }
    // Deterministic: the same image gives the same embedding.
    expect(Array.from((await encoder.encodeImage(bytes)).global)).toEqual(Array.from(e.global));
  });
});

describe('readMotifModel refuses a manifest the encoder cannot keep, saying what', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The default pack's manifest and vocabulary in a folder of the test's own, the manifest changed by `edit`. */
  function packWith(edit: (motif: MotifSection) => void): string {
    const dir = tempDir('jinxiu-motif-manifest-', dirs);
    const manifest = JSON.parse(fs.readFileSync(path.join(PACK, 'manifest.json'), 'utf8')) as { motif: MotifSection };
    edit(manifest.motif);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    fs.copyFileSync(path.join(PACK, 'vocab.txt'), path.join(dir, 'vocab.txt'));
    return dir;
  }
  const worker = new InferenceWorker({ launch: forkLauncher(), providers: () => ['cpu'] });
  afterAll(() => worker.shutdown());

  it('takes the bundled manifest as it is', () => {
    expect(readMotifModel(packWith(() => {})).spec.layout).toBe('chinese-clip-onnx');
  });

  it.each([
    ['a CLIPImageProcessor resize', (m: MotifSection) => Object.assign(m.preprocess, { resize: 'shortest-edge', crop: 'center' }), /bicubic stretch only/],
    ['a cased tokenizer', (m: MotifSection) => (m.tokenizer.doLowerCase = false), /doLowerCase is false/],
    ['ids wider than the context', (m: MotifSection) => (m.graphs.text.inputs.ids.shape = [1, 77]), /shape \[1, 77\]; the tokenizer gives \[1, 52\]/],
    ['a float mask', (m: MotifSection) => (m.graphs.text.inputs.attentionMask = { name: 'attention_mask', dtype: 'float32', shape: [1, 52] }), /attentionMask is float32/],
    ['pixels of another size', (m: MotifSection) => (m.graphs.image.inputs.pixels.shape = [1, 3, 336, 336]), /preprocessing gives \[1, 3, 224, 224\]/],
    ['an unknown layout', (m: MotifSection) => (m.layout = 'open-clip' as MotifSection['layout']), /motif.layout/],
  ])('%s', (_, edit, message) => {
    expect(() => readMotifModel(packWith(edit))).toThrow(message);
  });

  it('a vocabulary whose special ids are not the manifest\'s', () => {
    const model = readMotifModel(packWith((m) => (m.tokenizer.specialIds.cls = 1)));
    expect(() => new MotifEncoder(worker, model)).toThrow(/\[CLS\] = 1 \(the vocabulary has \[CLS\] = 101\)/);
  });
});
