import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng } from '../services/flats';
import { TILES_DIR } from '../services/render/golden/spec';
import { runJinxiu } from './test-kit';

let root: string;

const jinxiu = (...args: string[]) => runJinxiu(path.join(root, 'lib'), ...args);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-render-cli-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('jinxiu render', () => {
  it('renders a template with a tile image, and with a library swatch by id', async () => {
    const out = path.join(root, 'tee.png');
    const byImage = await jinxiu('--json', 'render', '--flat', 't-shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--swatch-cm', '7', '--size', '300', '--out', out);
    expect(byImage.stderr).toBe('');
    expect(byImage.code).toBe(0);
    const summary = JSON.parse(byImage.stdout) as { width: number; height: number; out: string };
    expect(summary.out).toBe(out);
    expect(decodePng(fs.readFileSync(out))).toMatchObject({ width: summary.width, height: summary.height });
    expect(Math.max(summary.width, summary.height)).toBe(300);

    const imported = await jinxiu('--json', 'swatches', 'import', path.join(TILES_DIR, 'denim.png'), '--size-cm', '7x7');
    const { id } = JSON.parse(imported.stdout) as { id: string };
    const out2 = path.join(root, 'tee-library.png');
    const byId = await jinxiu('render', '--flat', 'template-t-shirt', '--swatch', id, '--size', '300', '--out', out2);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/^wrote .*tee-library\.png \(\d+ x 300 px/);
  });

  it('says what is wrong with a bad flat, swatch or size and writes nothing', async () => {
    const out = path.join(root, 'never.png');
    const noFlat = await jinxiu('render', '--flat', 'kimono', '--swatch', path.join(TILES_DIR, 'denim.png'), '--out', out);
    expect(noFlat.code).toBe(1);
    expect(noFlat.stderr).toMatch(/"kimono" is neither .* templates: .*shirt/);
    const noSwatch = await jinxiu('render', '--flat', 'shirt', '--swatch', 'no-such-file.png', '--out', out);
    expect(noSwatch.stderr).toMatch(/neither an image file nor a swatch id/);
    const badSize = await jinxiu('render', '--flat', 'shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--size', '5', '--out', out);
    expect(badSize.stderr).toMatch(/16 to 8192 px/);
    expect(fs.existsSync(out)).toBe(false);
    const badOut = await jinxiu('render', '--flat', 'shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--out', '/dev/null/colorway.png');
    expect(badOut).toEqual({ code: 1, stdout: '', stderr: 'jinxiu: Cannot write /dev/null/colorway.png: /dev/null is a file, not a folder. [INVALID_INPUT]\n' });
  });
});
