import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_ENTRY_TS } from './port';

/**
 * What the worker process loads, followed from its entry through every import that stays at run
 * time (`import type` is erased). Relative imports are resolved to files; packages are listed.
 */
function workerImports(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  const statement = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(statement)) {
      if (!spec!.startsWith('.')) {
        packages.add(spec!);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec!);
      const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (!found) throw new Error(`${file}: cannot resolve ${spec}`);
      pending.push(found);
    }
  }
  const root = path.resolve(path.dirname(WORKER_ENTRY_TS), '../../..');
  return { files: [...files].map((f) => path.relative(root, f)).sort(), packages: [...packages].sort() };
}

describe('the inference worker process', () => {
  it('loads the pipelines it runs but no library, job, model-manager or Electron code', () => {
    const { files, packages } = workerImports(WORKER_ENTRY_TS);
    expect(files).toContain('src/main/services/garment/pipeline.ts');
    expect(files.filter((f) => /services\/(library|jobs|models)\/|garment\/(service|pack|generator|preprocess)\.ts|src\/main\/host\//.test(f))).toEqual([]);
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual(['onnxruntime-node', 'zod']);
  });
});
