import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { drawTile, FLATS, HERITAGE_IDS, TILES } from '../../scripts/make-test-fixtures';
import { TEST_FIXTURES_DIR, testFixture } from './test-fixtures';

describe('test-fixtures/', () => {
  it.each(Object.keys(TILES))('holds %s.png exactly as the tile generator draws it', async (name) => {
    const { data, info } = await sharp(testFixture('textile_tiles', 'images', `${name}.png`)).raw().toBuffer({ resolveWithObject: true });
    const tile = drawTile(name);
    expect([info.width, info.height, info.channels]).toEqual([tile.width, tile.height, 3]);
    expect(data.equals(tile.data)).toBe(true);
  });

  it('holds no tile the generator does not make', () => {
    expect(fs.readdirSync(testFixture('textile_tiles', 'images')).sort()).toEqual(Object.keys(TILES).map((n) => `${n}.png`).sort());
  });

  it('holds each heritage record with its image and its CC BY 2.5 attribution', () => {
    const records = fs
      .readFileSync(testFixture('heritage_motifs', 'captions.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id: string; image: string; author: string; license: string });
    expect(records.map((r) => r.id)).toEqual(HERITAGE_IDS);
    for (const r of records) {
      expect(fs.existsSync(testFixture('heritage_motifs', r.image)), r.image).toBe(true);
      expect(r).toMatchObject({ author: 'Alex Amies', license: expect.stringMatching(/^CC BY 2\.5/) });
    }
    expect(fs.readdirSync(testFixture('heritage_motifs', 'images'))).toHaveLength(records.length);
  });

  it('holds each garment flat as SVG and PNG beside the MIT licence with its copyright line', () => {
    for (const name of FLATS) {
      expect(fs.existsSync(testFixture('garment_flats', 'flats_svg', `${name}.svg`))).toBe(true);
      expect(fs.existsSync(testFixture('garment_flats', 'flats_png', `${name}.png`))).toBe(true);
    }
    expect(fs.readFileSync(testFixture('garment_flats', 'LICENSE_freesewing_monorepo_MIT.txt'), 'utf8')).toMatch(/^MIT License\s+Copyright \(c\) 2022 Joost De Cock/);
  });

  it('stays small enough to live in the repository', () => {
    const bytes = (dir: string): number =>
      fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? bytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
    expect(bytes(TEST_FIXTURES_DIR)).toBeLessThan(800 * 1024);
  });
});
