import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemblePack } from '../../models/assembly/assemble-pack';

/**
 * The toolchain's tiny sd15-garment recipe and its seed-3 twin checkpoints (the model manager's
 * fixture): the one tiny garment pack with the optional vaeEncoder graph, which image-to-image needs.
 */
export const SD15_RECIPE_FIXTURE = fileURLToPath(new URL('../../models/fixtures/tiny-sd15-garment/', import.meta.url));

/** Its scheduler config (DDIM, scaled_linear betas, leading spacing): what the img2img golden used. */
export const SD15_RECIPE_SCHEDULER = JSON.parse(
  fs.readFileSync(path.join(SD15_RECIPE_FIXTURE, 'recipe/pack/scheduler/scheduler_config.json'), 'utf8'),
) as Record<string, unknown>;

/**
 * The fixture assembled by the app's own assembler into a new temp folder (what
 * tools/models/garment/goldens_img2img.py assembles with the Python one; the two agree byte for byte).
 */
export async function assembleRecipePack(): Promise<string> {
  const outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-img2img-pack-')), 'pack');
  const files = Object.fromEntries(
    ['checkpoint', 'ip_adapter', 'image_encoder', 'controlnet'].map((role) => [role, path.join(SD15_RECIPE_FIXTURE, 'sources', `${role}.safetensors`)]),
  );
  await assemblePack({ recipeDir: path.join(SD15_RECIPE_FIXTURE, 'recipe'), files, outDir });
  return outDir;
}
