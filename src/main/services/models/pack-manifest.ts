import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../shared/contract';
import type { z } from 'zod';
import { PackManifestSchema } from '../../../shared/packs/manifest';
import { ManifestBaseSchema, type ManifestBase } from '../../../shared/packs/manifest-base';

export const MANIFEST_FILE = 'manifest.json';
/** A manifest is a small JSON file; anything larger is not one (and must not be read into memory). */
export const MANIFEST_MAX_BYTES = 1024 * 1024;

/** A parsed manifest: the shared part that installing and verifying use, plus the raw JSON. */
export interface PackManifest {
  base: ManifestBase;
  raw: Record<string, unknown>;
}

/**
 * Parses manifest bytes against the shared part first (so a broken files list is named as such), then
 * against the full per-kind contract, since a pack that cannot load is not worth installing. A bad
 * manifest is MODEL_INVALID with the first problems spelled out.
 */
export function parseManifest(bytes: Buffer | string, where: string): PackManifest {
  if (bytes.length > MANIFEST_MAX_BYTES) throw new AppError('MODEL_INVALID', `${where}: manifest.json is larger than ${MANIFEST_MAX_BYTES} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString());
  } catch (err) {
    throw new AppError('MODEL_INVALID', `${where}: manifest.json is not valid JSON (${(err as Error).message}).`);
  }
  const parsed = ManifestBaseSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('MODEL_INVALID', `${where}: manifest.json does not match the pack contract: ${describe(parsed.error)}`);
  }
  const full = PackManifestSchema.safeParse(json);
  if (!full.success) {
    throw new AppError('MODEL_INVALID', `${where}: manifest.json does not match the ${parsed.data.kind} pack contract: ${describe(full.error)}`);
  }
  const paths = parsed.data.files.map((f) => f.path);
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i || p === MANIFEST_FILE);
  if (duplicate) throw new AppError('MODEL_INVALID', `${where}: manifest.json lists "${duplicate}" twice or lists itself.`);
  return { base: parsed.data, raw: json as Record<string, unknown> };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`)
    .join('; ');
}

export async function readManifest(dir: string): Promise<PackManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new AppError('MODEL_INVALID', `${dir} has no manifest.json.`);
  if (stat.size > MANIFEST_MAX_BYTES) throw new AppError('MODEL_INVALID', `${file} is larger than ${MANIFEST_MAX_BYTES} bytes.`);
  return parseManifest(await fs.readFile(file), dir);
}

/** Execution providers a manifest declares (`providers: ["cuda", "cpu"]`), or null if it declares none. */
export function manifestProviders(m: PackManifest): string[] | null {
  const list = m.raw.providers;
  return Array.isArray(list) && list.every((p) => typeof p === 'string') ? (list as string[]) : null;
}

/**
 * A garment pack's line-art ControlNet and the strength it runs at unless told otherwise: the
 * manifest's `defaults.controlScale`, else 1 as in diffusers (LineArtControl.forRender's rule).
 * The manifest already passed the full contract, so the shapes read here are known to hold.
 */
export function manifestLineArtControl(m: PackManifest): { defaultScale: number } | null {
  const garment = m.raw['garment'] as { graphs?: { controlnet?: unknown }; defaults?: { controlScale?: number } } | undefined;
  if (m.base.kind !== 'garment' || !garment?.graphs?.controlnet) return null;
  return { defaultScale: garment.defaults?.controlScale ?? 1 };
}

/** The width in pixels a garment pack draws at unless told otherwise (`defaults.width`); null for other kinds. */
export function manifestImageWidth(m: PackManifest): number | null {
  const garment = m.raw['garment'] as { defaults?: { width?: number } } | undefined;
  return m.base.kind === 'garment' ? (garment?.defaults?.width ?? null) : null;
}

/** Whether a garment pack has the optional VAE encoder, so it can start from the colorway (image-to-image). */
export function manifestStartsFromImage(m: PackManifest): boolean {
  const garment = m.raw['garment'] as { graphs?: { vaeEncoder?: unknown } } | undefined;
  return m.base.kind === 'garment' && Boolean(garment?.graphs?.vaeEncoder);
}

export function totalSize(m: ManifestBase): number {
  return m.files.reduce((sum, f) => sum + f.size, 0);
}
