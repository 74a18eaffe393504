import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJinxiu } from './test-kit';
import { TINY_PACK_DIR } from '../services/garment/testing/tiny-pack';
import { TEE_FLAT_SVG } from '../services/garment/testing/tee-flat';
import { assembleRecipePack } from '../services/garment/testing/img2img';

// `jinxiu generate --init colorway --strength S`: image-to-image from the flat's colorway render, on
// the tiny sd15-garment recipe (the tiny pack with a VAE encoder), refused by name on one without.
let root: string;
let library: string;
let flatPath: string;
let sd15Pack: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-generate-init-'));
  library = path.join(root, 'library');
  flatPath = path.join(root, 'tee.svg');
  fs.writeFileSync(flatPath, TEE_FLAT_SVG);
  sd15Pack = await assembleRecipePack();
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(path.dirname(sd15Pack), { recursive: true, force: true });
});

const generate = (pack: string, ...args: string[]) =>
  runJinxiu(library, 'generate', '--flat', flatPath, '--prompt', 'a red cotton shirt', '--pack', pack, '--steps', '10', '--seed', '3', ...args);
const leftBehind = () => fs.readdirSync(root).filter((n) => n !== 'tee.svg');

describe('jinxiu generate --init colorway --strength', () => {
  it.each([
    [['--init', 'colorway', '--strength', '1.5'], '--strength takes a decimal from 0 to 1, not "1.5".'],
    [['--init', 'colorway', '--strength', '0x1'], '--strength takes a decimal from 0 to 1, not "0x1".'],
    [['--init', 'colorway', '--strength', ''], '--strength takes a decimal from 0 to 1, not "".'],
    [['--init', 'photo'], '--init takes "colorway" (start from the flat\'s colorway render), not "photo".'],
    [['--strength', '0.5'], '--strength goes with --init colorway; without it the render starts from noise.'],
  ])('refuses %j in one line, writing nothing', async (args, message) => {
    const res = await generate(TINY_PACK_DIR, ...args, '--out', path.join(root, 'out'));
    expect(res).toEqual({ code: 1, stdout: '', stderr: `jinxiu: ${message} [INVALID_INPUT]\n` });
    expect(leftBehind()).toEqual([]);
  });

  it('refuses a pack without a VAE encoder by name, before any step, and writes no output', async () => {
    const out = path.join(root, 'runs', 'no-encoder');
    const res = await generate(TINY_PACK_DIR, '--init', 'colorway', '--strength', '0.6', '--out', out);
    expect(res.code).toBe(1);
    // Its last line: onnxruntime may warn about the execution providers it probed before it.
    expect(res.stderr.trim().split('\n').at(-1)).toBe(
      'jinxiu: The garment pack "jinxiu-garment-tiny-random" cannot start from the colorway: this pack has no VAE encoder; start from noise or install a pack that has one. [INVALID_INPUT]',
    );
    expect(res.stderr).not.toMatch(/step \d/);
    expect(fs.existsSync(path.join(root, 'runs'))).toBe(false);
  });

  it('starts from the colorway: run.json records the init, its strength and the prompt colour that painted it', async () => {
    const out = path.join(root, 'runs', 'colorway');
    const res = await generate(sd15Pack, '--init', 'colorway', '--strength', '0.6', '--out', out);
    expect(res.stderr).not.toMatch(/jinxiu:/);
    expect(res.code).toBe(0);
    // int(10 x 0.6) steps run: the progress counts 6 of them.
    expect(res.stderr.trim().split('\n').at(-1)).toBe('step 6/6');
    const run = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')) as { init: unknown; timesteps: number[]; steps: number };
    expect(run.init).toEqual({ kind: 'colorway', strength: 0.6, source: { from: 'prompt-colour', colour: 'red', hex: expect.stringMatching(/^#[0-9a-f]{6}$/) } });
    expect(run.steps).toBe(10);
    expect(run.timesteps).toHaveLength(6);
    expect(fs.readdirSync(out).sort()).toEqual(['image-biased.png', 'run.json', 'sketch.png', 'text-biased.png']);

    // From noise the same seed runs all ten steps and records no init.
    const plain = path.join(root, 'runs', 'noise');
    expect((await generate(sd15Pack, '--out', plain)).code).toBe(0);
    const noise = JSON.parse(fs.readFileSync(path.join(plain, 'run.json'), 'utf8')) as { init: unknown; timesteps: number[] };
    expect(noise.init).toBeNull();
    expect(noise.timesteps).toHaveLength(10);
    expect(fs.readFileSync(path.join(plain, 'image-biased.png')).equals(fs.readFileSync(path.join(out, 'image-biased.png')))).toBe(false);
  });
});
