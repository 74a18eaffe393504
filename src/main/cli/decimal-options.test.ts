import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEE_FLAT_SVG } from '../services/garment/testing/tee-flat';
import { TINY_PACK_DIR } from '../services/garment/testing/tiny-pack';
import { TILES_DIR } from '../services/render/golden/spec';
import { testFixture } from '../test-fixtures';
import { runJinxiu } from './test-kit';

// Every decimal option of the real `jinxiu`, given what Number() or parseFloat would have read as some
// other number (or as 0): each is refused in one line naming the option, the value and the range,
// before any work, and nothing is written.
let root: string;
let flat: string;
const library = () => path.join(root, 'lib');
const jinxiu = (...args: string[]) => runJinxiu(library(), ...args);

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-decimal-cli-'));
  flat = path.join(root, 'tee.svg');
  fs.writeFileSync(flat, TEE_FLAT_SVG);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const TWEED = path.join(testFixture('textile_tiles', 'images'), 'tweed.png');
const generate = (...args: string[]) => ['generate', '--flat', flat, '--prompt', 'a denim jacket', '--pack', TINY_PACK_DIR, '--out', path.join(root, 'out'), ...args];

/** Each option: the command line around it and the range its message names. */
const OPTIONS: { option: string; command: (value: string) => string[]; range: string }[] = [
  { option: '--alpha', command: (v) => generate('--alpha', v), range: '"auto" or a decimal from 0 to 1' },
  { option: '--control-scale', command: (v) => generate('--control-scale', v), range: 'a decimal from 0 to 2' },
  { option: '--strength', command: (v) => generate('--init', 'colorway', '--strength', v), range: 'a decimal from 0 to 1' },
  { option: '--swatch-cm', command: (v) => ['render', '--flat', 't-shirt', '--swatch', path.join(TILES_DIR, 'denim.png'), '--swatch-cm', v, '--out', path.join(root, 'c.png')], range: 'a decimal from 0.1 to 1000' },
  { option: '--gsm', command: (v) => ['swatches', 'import', TWEED, '--gsm', v], range: 'a decimal above 0 and up to 2000' },
  { option: '--rotate', command: (v) => ['swatches', 'import', TWEED, '--rotate', v], range: 'a decimal from -45 to 45' },
];

/** Not plain decimals, each of which Number() or parseFloat reads as a number. */
const NOT_DECIMALS = ['1e3', '0x10', '', ' 1', 'Infinity', '1,5'];

/** Nothing but the flat: no library, output folder or PNG was made. */
const leftBehind = () => fs.readdirSync(root).filter((n) => n !== 'tee.svg');

describe('decimal CLI options', () => {
  for (const { option, command, range } of OPTIONS) {
    const outOfRange = { '--alpha': '1.01', '--control-scale': '2.5', '--strength': '-0.1', '--swatch-cm': '0.05', '--gsm': '0', '--rotate': '-45.5' }[option]!;
    it(`${option} refuses ${[...NOT_DECIMALS, outOfRange].map((v) => JSON.stringify(v)).join(', ')} by name and range`, async () => {
      const values = [...NOT_DECIMALS, outOfRange];
      const answers = await Promise.all(values.map((value) => jinxiu(...command(value))));
      values.forEach((value, i) =>
        expect(answers[i], `${option} ${JSON.stringify(value)}`).toEqual({ code: 1, stdout: '', stderr: `jinxiu: ${option} takes ${range}, not "${value}". [INVALID_INPUT]\n` }),
      );
      expect(leftBehind()).toEqual([]);
    });
  }

  it('takes plain decimals at the ends of each range: swatches import records --rotate -45 and --gsm .5 as typed', async () => {
    const res = await jinxiu('--json', 'swatches', 'import', TWEED, '--rotate', '-45', '--gsm', '.5', '--size-cm', '0.1x1000.0', '--fibres', 'wool:99.5,nylon:.5');
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({
      geometry: { rotateDeg: -45, widthCm: 0.1, heightCm: 1000 },
      bom: { weightGsm: 0.5, fibreContent: [{ fibre: 'wool', percent: 99.5 }, { fibre: 'nylon', percent: 0.5 }] },
    });
  });

  it('--size-cm and --fibres take plain decimals only (the contract judges their range); --box takes fractions from 0 to 1', async () => {
    const refused = async (args: string[]) => (await jinxiu(...args)).stderr;
    expect(await refused(['swatches', 'import', TWEED, '--size-cm', '1e1x10'])).toBe('jinxiu: --size-cm takes WIDTHxHEIGHT in centimetres, e.g. 10x10 (got "1e1x10"). [INVALID_INPUT]\n');
    expect(await refused(['swatches', 'import', TWEED, '--size-cm', '10x'])).toBe('jinxiu: --size-cm takes WIDTHxHEIGHT in centimetres, e.g. 10x10 (got "10x"). [INVALID_INPUT]\n');
    expect(await refused(['swatches', 'import', TWEED, '--fibres', 'wool:9..5'])).toBe('jinxiu: "wool:9..5" is not fibre:percent (e.g. cotton:98,elastane:2). [INVALID_INPUT]\n');
    expect(await refused(['swatches', 'import', TWEED, '--fibres', 'wool:1e2'])).toBe('jinxiu: "wool:1e2" is not fibre:percent (e.g. cotton:98,elastane:2). [INVALID_INPUT]\n');
    expect(await refused(['motifs', 'find', '--image', TWEED, '--box', '0,0,0x1,1'])).toBe('jinxiu: --box takes left,top,right,bottom as fractions of the image, e.g. 0.1,0.1,0.6,0.5 (got "0,0,0x1,1"). [INVALID_INPUT]\n');
    expect(await refused(['motifs', 'find', '--image', TWEED, '--box', '0,0,1.5,1'])).toBe('jinxiu: --box takes a decimal from 0 to 1, not "1.5". [INVALID_INPUT]\n');
  });
});
