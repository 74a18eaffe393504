import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GOLDEN_DIR } from './golden';

/** The toolchain's tiny random-weight garment pack (tools/models/golden/garment-tiny-pack). */
export const TINY_PACK_DIR = path.join(GOLDEN_DIR, 'garment-tiny-pack');

/** Its SD 1.5 + IP-Adapter + line-art ControlNet sibling, made by `convert sd15-ipadapter` (goldens_sd15.py). */
export const SD15_TINY_PACK_DIR = path.join(GOLDEN_DIR, 'garment-sd15-tiny-pack');

/** A private copy of a tiny pack in a temp folder, for tests that break it on purpose. */
export function copyTinyPack(source = TINY_PACK_DIR): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-garment-pack-'));
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}

/** Edits a copied pack's manifest.json in place (it is not itself hashed). */
export function editManifest(dir: string, edit: (manifest: Record<string, unknown> & { garment: GarmentJson }) => void): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & { garment: GarmentJson };
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest, null, 1));
}

type TensorJson = { name: string; dtype: string; shape: (number | string)[] };
type GarmentJson = { graphs: Record<string, { file: string; inputs: Record<string, TensorJson>; outputs: Record<string, TensorJson> }> };

/**
 * The tiny pack with a sketch route: tools/models/garment/goldens_sketch.py keeps only the files the
 * route changes (unet.onnx, sketch_encoder.onnx and the whole pack's manifest.json) as an overlay.
 */
export const SKETCH_OVERLAY_DIR = path.join(GOLDEN_DIR, 'garment-tiny-sketch-overlay');

/** The tiny pack with the sketch overlay laid over it, in a new temp folder. */
export function sketchTinyPack(): string {
  const dir = copyTinyPack();
  for (const name of fs.readdirSync(SKETCH_OVERLAY_DIR)) fs.copyFileSync(path.join(SKETCH_OVERLAY_DIR, name), path.join(dir, name));
  return dir;
}
