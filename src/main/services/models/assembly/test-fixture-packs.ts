import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { Golden } from '../../garment/testing/golden';
import { assemblePack } from './assemble-pack';

/**
 * The committed tiny recipe fixtures (src/main/services/models/fixtures, written with their goldens by
 * tools/models/recipes/fixtures.py) assembled by the app, and their golden graph cases run on real
 * onnxruntime sessions: for the parity tests of the LCM and Chinese-CLIP recipes.
 */
export const MODEL_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Recipe id -> its fixture folder; sd15-garment-lcm takes its templates from sd15-garment's. */
const FIXTURE_OF: Record<string, string> = {
  'sd15-garment': 'tiny-sd15-garment',
  'sd15-garment-lcm': 'tiny-sd15-garment-lcm',
  'chinese-clip-motif': 'tiny-chinese-clip-motif',
};

/**
 * Lays the recipes out under `root/recipes/<id>` as a catalogue install does, and assembles `id`
 * from its fixture's sources/<role>.safetensors into `root/<id>`.
 */
export async function assembleFixture(root: string, id: 'sd15-garment-lcm' | 'chinese-clip-motif'): Promise<string> {
  const recipes = path.join(root, 'recipes');
  const needed = id === 'sd15-garment-lcm' ? ['sd15-garment', id] : [id];
  for (const rid of needed) fs.cpSync(path.join(MODEL_FIXTURES, FIXTURE_OF[rid]!, 'recipe'), path.join(recipes, rid), { recursive: true });
  const sources = path.join(MODEL_FIXTURES, FIXTURE_OF[id]!, 'sources');
  const recipe = JSON.parse(fs.readFileSync(path.join(recipes, id, 'recipe.json'), 'utf8')) as { sources: Record<string, unknown> };
  const files = Object.fromEntries(Object.keys(recipe.sources).map((role) => [role, path.join(sources, `${role}.safetensors`)]));
  const outDir = path.join(root, id);
  await assemblePack({ recipeDir: path.join(recipes, id), files, outDir });
  return outDir;
}

export interface GoldenCase {
  graph: string;
  inputs: string[];
  outputs: string[];
}

type GraphSpec = { file: string; inputs: Record<string, { name: string }>; outputs: Record<string, { name: string }> };

/** Runs each golden case's graph of the pack on its inputs; returns, per case and output role, the largest |ours - Python's|. */
export async function caseErrors(packDir: string, section: 'garment' | 'motif', golden: Golden<{ cases: Record<string, GoldenCase> }>): Promise<Record<string, Record<string, { worst: number; scale: number }>>> {
  const manifest = JSON.parse(fs.readFileSync(path.join(packDir, 'manifest.json'), 'utf8')) as Record<string, { graphs: Record<string, GraphSpec> }>;
  const graphs = manifest[section]!.graphs;
  const sessions = new Map<string, ort.InferenceSession>();
  const result: Record<string, Record<string, { worst: number; scale: number }>> = {};
  try {
    for (const [name, c] of Object.entries(golden.meta.cases)) {
      const spec = graphs[c.graph];
      if (!spec) throw new Error(`the assembled pack has no graph ${c.graph}`);
      let session = sessions.get(c.graph);
      if (!session) {
        session = await ort.InferenceSession.create(path.join(packDir, spec.file), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
        sessions.set(c.graph, session);
      }
      const feeds: Record<string, ort.Tensor> = {};
      for (const role of c.inputs) {
        const a = golden.array(`${name}/in/${role}`);
        feeds[spec.inputs[role]!.name] = new ort.Tensor(a.dtype === 'int64' ? 'int64' : 'float32', a.data as Float32Array | BigInt64Array, a.shape);
      }
      const out = await session.run(feeds);
      result[name] = {};
      for (const role of c.outputs) {
        const got = out[spec.outputs[role]!.name]!.data as Float32Array;
        const want = golden.float32(`${name}/out/${role}`);
        if (got.length !== want.length) throw new Error(`${name}.${role}: ${got.length} values, Python gave ${want.length}`);
        let worst = 0;
        let scale = 0;
        for (let i = 0; i < want.length; i++) {
          worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
          scale = Math.max(scale, Math.abs(want[i]!));
        }
        result[name][role] = { worst, scale };
      }
    }
  } finally {
    for (const s of sessions.values()) await s.release();
  }
  return result;
}
