import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRecipe } from './assemble-recipe';
import { recogniseCheckpoint, requireLayout, type CheckpointKind } from './checkpoint-kind';
import type { SafetensorsDtype } from './dtype';
import type { SourceLayout } from './recipe';
import { SafetensorsFile } from './safetensors';
import { tempDir, writeSparseTwin } from './test-kit';

/**
 * The public files at full size, without their weights: the toolchain's key tables (every key, dtype
 * and shape of each public file, made from the real model configurations) become sparse safetensors
 * files of the real length, and the shipped recipes are checked against them from the headers alone.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const TABLES = path.join(REPO, 'tools/models/recipes/tables');
const RECIPES = path.join(REPO, 'resources/models/recipes');

interface KeyTable {
  file: string;
  layout: SourceLayout;
  dataBytes: number;
  tensors: Record<string, { dtype: SafetensorsDtype; shape: number[] }>;
}

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const tables = fs.readdirSync(TABLES).map((f) => JSON.parse(fs.readFileSync(path.join(TABLES, f), 'utf8')) as KeyTable);
const twins = new Map(tables.map((t) => [t.layout, writeSparseTwin(path.join(dir, `${t.file}.safetensors`), t.tensors)]));

const KINDS: Record<SourceLayout, CheckpointKind> = {
  'sd15-single-file': 'sd15',
  'sd15-lora-kohya': 'lora',
  'h94-ip-adapter': 'not-diffusion',
  'hf-clip-vision-projection': 'not-diffusion',
  'controlnet-v11': 'not-diffusion',
  'hf-chinese-clip': 'not-diffusion',
};

describe('the public files, at full size', () => {
  it.each(tables.map((t) => [t.file, t] as const))('%s opens, is recognised and fits its layout', async (_name, table) => {
    const st = await SafetensorsFile.open(twins.get(table.layout)!);
    try {
      expect(st.tensors.size).toBe(Object.keys(table.tensors).length);
      const bytes = [...st.tensors.values()].reduce((sum, t) => sum + (t.end - t.begin), 0);
      expect(bytes).toBe(table.dataBytes);
      expect(recogniseCheckpoint(st.tensors).kind).toBe(KINDS[table.layout]);
      expect(() => requireLayout(st, table.layout)).not.toThrow();
    } finally {
      await st.close();
    }
  });

  const shipped = fs.existsSync(RECIPES) ? fs.readdirSync(RECIPES).filter((id) => fs.existsSync(path.join(RECIPES, id, 'recipe.json'))) : [];
  it.skipIf(shipped.length === 0).each(shipped)('the shipped recipe %s fits them: every key read with its shape, or ignored', async (id) => {
    const recipe = JSON.parse(fs.readFileSync(path.join(RECIPES, id, 'recipe.json'), 'utf8')) as { sources: Record<string, { layout: SourceLayout }> };
    const files = Object.fromEntries(Object.entries(recipe.sources).map(([role, s]) => [role, twins.get(s.layout)!]));
    const { graphs } = await checkRecipe(path.join(RECIPES, id), files);
    expect(graphs.length).toBeGreaterThan(0);
  });
});
