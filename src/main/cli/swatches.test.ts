import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFibres } from './swatches';
import { testFixture } from '../test-fixtures';
import { runJinxiu } from './test-kit';

const TILES = testFixture('textile_tiles', 'images');
let root: string;

const jinxiu = (...args: string[]) => runJinxiu(path.join(root, 'lib'), ...args);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-swatch-cli-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('jinxiu swatches', () => {
  it('imports with BOM attributes and lists and searches', async () => {
    const imported = await jinxiu(
      '--json', 'swatches', 'import', path.join(TILES, 'tweed.png'),
      '--name', 'Donegal tweed', '--size-cm', '8x8', '--rotate', '3', '--fibres', 'wool:90,nylon:10',
      '--weave', 'twill', '--gsm', '320', '--supplier', 'Magee', '--reference', 'DG-7',
    );
    expect(imported.code).toBe(0);
    const swatch = JSON.parse(imported.stdout) as { id: string; category: string; geometry: { widthCm: number }; bom: { weightGsm: number } };
    expect(swatch).toMatchObject({ category: 'tweed', geometry: { widthCm: 8, rotateDeg: 3 }, bom: { weightGsm: 320, supplier: 'Magee' } });

    const listed = await jinxiu('swatches', 'list', '--query', '粗花呢');
    expect(listed.stdout).toMatch(new RegExp(`^${swatch.id}  Donegal tweed  tweed  \\S+ #[0-9A-F]{6}  8x8 cm  Magee\\n$`));
    expect((await jinxiu('swatches', 'list', '--supplier', 'nobody')).stdout).toBe('no swatches\n');
  });

  it('refuses a bad photo or a bad fibre list with a clear message and exit code 1', async () => {
    const bad = path.join(root, 'scan.tif');
    fs.writeFileSync(bad, Buffer.from('II*\0garbage'));
    const refused = await jinxiu('swatches', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^jinxiu: scan\.tif (is not a readable image|could not be decoded).*\[INVALID_INPUT\]\n$/);
    const sum = await jinxiu('swatches', 'import', path.join(TILES, 'linen.png'), '--fibres', 'linen:70,cotton:20');
    expect(sum.stderr).toMatch(/Fibre percentages must add up to 100 %.*\[INVALID_INPUT\]/);
    const crop = await jinxiu('swatches', 'import', path.join(TILES, 'linen.png'), '--crop', '0x10,0,40,40');
    expect(crop.stderr).toBe('jinxiu: --crop takes left,top,width,height in pixels, e.g. 10,10,400,300 (got "0x10,0,40,40"). [INVALID_INPUT]\n');
    expect(JSON.parse((await jinxiu('--json', 'swatches', 'list')).stdout)).toHaveLength(1);
  });

  it('refuses a size no fabric repeats at (`--size-cm 0.01x0.01`), says why and stores nothing', async () => {
    const library = path.join(root, 'size-lib');
    const run = await runJinxiu(library, 'swatches', 'import', path.join(TILES, 'linen.png'), '--size-cm', '0.01x0.01');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^jinxiu: geometry\.widthCm: A swatch is 0\.1 to 1000 cm wide.*\[INVALID_INPUT\]\n$/);
    expect(JSON.parse((await runJinxiu(library, '--json', 'swatches', 'list')).stdout)).toEqual([]);
  });

  it('parses fibre lists', () => {
    expect(parseFibres('cotton:98, elastane:2%')).toEqual([
      { fibre: 'cotton', percent: 98 },
      { fibre: 'elastane', percent: 2 },
    ]);
    expect(() => parseFibres('cotton 98')).toThrow(/not fibre:percent/);
  });
});
