import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Golden } from '../../garment/testing/golden';
import { assemblePack } from './assemble-pack';
import { assembleFixture, caseErrors, MODEL_FIXTURES, type GoldenCase } from './test-fixture-packs';
import { tempDir } from './test-kit';

/**
 * The app's assembler on the committed tiny sd15-garment-lcm recipe (a kohya-layout LCM-LoRA merged
 * into an SD 1.5 single-file checkpoint) against the Python references of
 * tools/models/recipes/fixture_goldens.py: the converter's pack of the diffusers twin with the LoRA
 * merged module by module, diffusers' own UNet and VAE encoder.
 */
const FIXTURE = path.join(MODEL_FIXTURES, 'tiny-sd15-garment-lcm');
const golden = new Golden<{ cases: Record<string, GoldenCase> }>('golden', FIXTURE);
const root = tempDir('jinxiu-lcm-parity-');
let pack: string;

beforeAll(async () => {
  pack = await assembleFixture(root, 'sd15-garment-lcm');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('sd15-garment-lcm recipe assembled by the app', () => {
  it('gives every graph output of the Python converter, diffusers UNet and VAE encoder within 1e-5', async () => {
    const errors = await caseErrors(pack, 'garment', golden);
    // Every graph of the pack is checked, the UNet twice (converter's ONNX and diffusers' torch).
    expect(Object.keys(errors).sort()).toEqual(['controlnet', 'imageEncoder', 'imageProjection', 'textEncoder', 'unet', 'unetTorch', 'vaeDecoder', 'vaeEncoder']);
    for (const [name, roles] of Object.entries(errors)) {
      for (const [role, { worst, scale }] of Object.entries(roles)) {
        expect(worst, `${name}.${role}`).toBeLessThanOrEqual(1e-5);
        expect(scale, `${name}.${role} is near zero; the comparison would mean nothing`).toBeGreaterThan(1e-3);
      }
    }
  });

  it('differs from the plain sd15-garment pack where the LoRA was merged, beyond the parity tolerance', async () => {
    const plain = path.join(root, 'plain');
    fs.cpSync(path.join(MODEL_FIXTURES, 'tiny-sd15-garment', 'recipe'), path.join(root, 'plain-recipe'), { recursive: true });
    const sources = path.join(FIXTURE, 'sources');
    await assemblePack({
      recipeDir: path.join(root, 'plain-recipe'),
      files: Object.fromEntries(['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'].map((r) => [r, path.join(sources, `${r}.safetensors`)])),
      outDir: plain,
    });
    const errors = await caseErrors(plain, 'garment', golden);
    // The LoRA only touches the UNet: the other graphs agree, the UNet does not.
    expect(errors.textEncoder!.hiddenStates!.worst).toBeLessThanOrEqual(1e-5);
    expect(errors.unet!.noisePred!.worst).toBeGreaterThan(1e-2);
    expect(errors.unetTorch!.noisePred!.worst).toBeGreaterThan(1e-2);
  });

  it("carries the LCM scheduler and the recipe's 8 steps at guidance 1", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'manifest.json'), 'utf8')) as {
      garment: { scheduler: { config: string }; defaults: { steps: number; guidanceScale: number } };
    };
    const config = JSON.parse(fs.readFileSync(path.join(pack, manifest.garment.scheduler.config), 'utf8')) as Record<string, unknown>;
    expect(config._class_name).toBe('LCMScheduler');
    expect(manifest.garment.defaults).toMatchObject({ steps: 8, guidanceScale: 1 });
  });
});
