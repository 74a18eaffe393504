import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MotifCaptionSearch, MotifModelSearch, MotifSearchResult } from '../../shared/contract/motifs';
import { HERITAGE_DIR, heritageSlice, tempDir } from '../services/motif/test-kit';
import { runJinxiu } from './test-kit';

const packPresent = fs.existsSync(fileURLToPath(new URL('../../../resources/models/motif-default/manifest.json', import.meta.url)));
const dirs: string[] = [];
let library: string;
let captions: string;

const jinxiu = (...args: string[]) => runJinxiu(library, ...args);

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

  it('reads --limit and --rrf-k as decimal whole numbers only, as every other number option', async () => {
    for (const [args, refusal] of [
      [['motifs', 'search', '--limit', '0x10', 'lotus'], '--limit takes a whole number from 1 to 500, not "0x10".'],
      [['motifs', 'find', '--limit', '1e2', 'lotus'], '--limit takes a whole number from 1 to 500, not "1e2".'],
      [['motifs', 'find', '--rrf-k', '0x10', 'lotus'], '--rrf-k takes a whole number from 0 to 10000, not "0x10".'],
    ] as const) {
      expect(await jinxiu(...args)).toEqual({ code: 1, stdout: '', stderr: `jinxiu: ${refusal} [INVALID_INPUT]\n` });
    }
    const found = JSON.parse((await jinxiu('--json', 'motifs', 'find', '--limit', '2', '--rrf-k', '0', '佛')).stdout) as MotifSearchResult;
    expect(found.hits.length).toBeLessThanOrEqual(2);
    expect(found.rrfK).toBe(0);
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

  it.runIf(packPresent)('reports the vectors ready, re-indexes nothing more, and finds by text and by a region of an image', async () => {
    expect((await jinxiu('motifs', 'status')).stdout).toBe('ready: All 6 motifs are indexed with jinxiu-motif-default 0.1.0.\n');
    expect((await jinxiu('motifs', 'reindex')).stdout).toBe('jinxiu-motif-default 0.1.0: 0 of 0 motifs encoded, 0 re-weighed, 0 failed, 0 stale rows dropped\n');
    const text = JSON.parse((await jinxiu('--json', 'motifs', 'find', '佛')).stdout) as MotifSearchResult;
    expect(text.used).toEqual(['caption', 'vector']);
    const sha = text.hits[0]!.motif.fileSha256;
    const region = JSON.parse((await jinxiu('--json', 'motifs', 'find', '--image', sha, '--box', '0.5,0.5,1,1', '--limit', '2')).stdout) as MotifSearchResult;
    expect(region).toMatchObject({ used: ['vector'], query: { image: sha, box: [0.5, 0.5, 1, 1] } });
    expect(region.hits).toHaveLength(2);
    const bad = await jinxiu('motifs', 'find', '--image', sha, '--box', '0.5,0.5,0.2,1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/left < right.*\[INVALID_INPUT\]/);
  });
});
