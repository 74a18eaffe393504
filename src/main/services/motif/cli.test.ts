import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotifCaptionSearch, MotifModelSearch } from '../../../shared/contract/motifs';
import { HERITAGE_DIR, heritageSlice, tempDir } from './test-kit';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const packPresent = fs.existsSync(path.join(repo, 'resources/models/motif-default/manifest.json'));
const dirs: string[] = [];
let library: string;
let captions: string;

/** The real `jinxiu` command in a child process, on a library of the test's own. */
async function jinxiu(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(repo, 'bin/jinxiu.js'), '--library', library, ...args], { cwd: repo });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  const root = tempDir('jinxiu-motif-cli-', dirs);
  library = path.join(root, 'library');
  captions = heritageSlice(root, 6);
});
afterAll(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('jinxiu motifs', () => {
  it('imports a folder, and a second run skips what is in', async () => {
    const first = await jinxiu('motifs', 'import', HERITAGE_DIR, '--captions', captions);
    expect(first).toMatchObject({ code: 0, stdout: 'heritage collection, 6 images: 6 imported, 0 already in, 0 duplicates, 0 failed\n' });
    const again = await jinxiu('motifs', 'import', HERITAGE_DIR, '--captions', captions);
    expect(again.stdout).toBe('heritage collection, 6 images: 0 imported, 6 already in, 0 duplicates, 0 failed\n');
  });

  it('searches captions across languages', async () => {
    const res = await jinxiu('--json', 'motifs', 'search', '佛');
    const found = JSON.parse(res.stdout) as MotifCaptionSearch;
    expect(found.concepts[0]!.alternatives).toContain('"buddha"');
    expect(found.hits.length).toBeGreaterThan(0);
    for (const h of found.hits) expect(`${h.motif.captionZh} ${h.motif.captionEn} ${JSON.stringify(h.motif.attributes)}`).toMatch(/佛|buddha/i);
  });

  it('refuses a folder that does not exist with a clear message and exit code 1', async () => {
    const res = await jinxiu('motifs', 'import', path.join(library, 'nowhere'));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/nowhere is not a folder.*\[INVALID_INPUT\]/);
  });

  it.runIf(packPresent)('indexes with the default motif pack through the worker and searches by model', async () => {
    const index = await jinxiu('motifs', 'index');
    expect(index.stdout).toBe('jinxiu-motif-default 0.1.0: 6 of 6 motifs indexed, 0 failed\n');
    expect((await jinxiu('motifs', 'index')).stdout).toBe('jinxiu-motif-default 0.1.0: 0 of 0 motifs indexed, 0 failed\n');
    const res = await jinxiu('--json', 'motifs', 'search', '--model', '--limit', '3', '莲花');
    const found = JSON.parse(res.stdout) as MotifModelSearch;
    expect(found).toMatchObject({ pack: { id: 'jinxiu-motif-default' }, indexed: 6 });
    expect(found.hits).toHaveLength(3);
    expect(found.hits[0]!.score).toBeGreaterThanOrEqual(found.hits[2]!.score);
    for (const h of found.hits) {
      expect(h.crop!.box).toHaveLength(4);
      expect(h.crop!.index).toBeLessThan(5);
    }
  });
});
