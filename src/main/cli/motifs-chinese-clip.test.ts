import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotifModelSearch } from '../../shared/contract/motifs';
import {
  chineseClipGolden as golden,
  expectGolden,
  GLOBAL_ID,
  IMAGES,
  prepareChineseClipLibrary,
  type ChineseClipLibrary,
} from '../services/motif/chinese-clip-test-kit';
import { tempDir } from '../services/motif/test-kit';
import { Studio } from '../studio';
import { runJinxiu } from './test-kit';

/**
 * `jinxiu motifs search --model` on a library whose default motif pack was assembled from OFA-Sys's
 * Hugging Face Chinese-CLIP layout (motif.layout `hf-chinese-clip`, the tiny committed twin): the real
 * CLI in a child process gives transformers' scores within 1e-5, as the service does
 * (src/main/services/motif/chinese-clip-pack.test.ts). The beta-1 copy of the pack scores the
 * whole-image cosine that the goldens rank by.
 */
const TOLERANCE = 1e-5;
const dirs: string[] = [];

async function withStudio<T>(libraryDir: string, run: (s: Studio) => Promise<T>): Promise<T> {
  const s = Studio.open({ libraryDir }).start();
  try {
    return await run(s);
  } finally {
    await s.close();
  }
}
let lib: ChineseClipLibrary;

beforeAll(async () => {
  lib = await prepareChineseClipLibrary(tempDir('jinxiu-cli-hf-clip-', dirs), withStudio);
  await withStudio(lib.libraryDir, async (s) => {
    await s.models.setDefault(GLOBAL_ID);
    const done = await s.jobs.waitFor(s.motifs.startReindex().id);
    expect(done.state, JSON.stringify(done.error ?? null)).toBe('succeeded');
  });
}, 180_000);
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('jinxiu motifs search --model with an hf-chinese-clip pack as the default', () => {
  it("ranks the five images for a mixed Chinese and English query with transformers' scores", async () => {
    const query = golden.meta.queries[2]!;
    const run = await runJinxiu(lib.libraryDir, '--json', 'motifs', 'search', '--model', '--limit', '5', query);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const found = JSON.parse(run.stdout) as MotifModelSearch;
    expect(found).toMatchObject({ pack: { id: GLOBAL_ID }, indexed: IMAGES });
    expectGolden(lib, found, golden.meta.search[query]!, `jinxiu ${query}`, TOLERANCE);
  }, 120_000);
});
