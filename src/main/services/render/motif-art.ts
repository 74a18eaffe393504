import sharp from 'sharp';
import { AppError } from '../../../shared/contract/errors';
import type { Motif } from '../../../shared/contract/motifs';
import type { FlatView } from '../../../shared/flat/schema';
import type { MotifArt } from '../../../shared/flat/svg/export';
import type { FileStore } from '../library';

/** Where the artwork of prints and motif fills comes from: the motif library in the app. */
export interface MotifArtSource {
  art(motifId: string): Promise<MotifArt>;
}

/**
 * Longest side of the artwork embedded in a colorway: past the colorway's own 8k it cannot show, and
 * a print on a chest is rarely over a quarter of the picture, so 1024 px keeps the SVG small.
 */
export const MAX_MOTIF_ART_PX = 1024;
const CACHE_SIZE = 16;

/** The motifs a view paints: its prints and its panels' motif fills, each once, in a stable order. */
export function motifsOf(view: FlatView): string[] {
  const ids = new Set<string>();
  for (const item of view.items) {
    if (item.type === 'print') ids.add(item.motifId);
    else if (item.type === 'shape' && item.motifFill) ids.add(item.motifFill.motifId);
  }
  return [...ids].sort();
}

/** A motif image as a PNG data URI with its size, shrunk to MAX_MOTIF_ART_PX on its long side. */
export async function motifArtFrom(bytes: Buffer): Promise<MotifArt> {
  let out;
  try {
    out = await sharp(bytes)
      .rotate()
      .resize({ width: MAX_MOTIF_ART_PX, height: MAX_MOTIF_ART_PX, fit: 'inside', withoutEnlargement: true })
      .png()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new AppError('INVALID_INPUT', `The motif image cannot be read: ${(e as Error).message}`);
  }
  return { href: `data:image/png;base64,${out.data.toString('base64')}`, width: out.info.width, height: out.info.height };
}

/** Motif artwork from the library: the motif's original image, read (hash-checked) from the file store. */
export class LibraryMotifArt implements MotifArtSource {
  private readonly cache = new Map<string, Promise<MotifArt>>();

  constructor(
    private readonly motifs: { get(id: string): Motif },
    private readonly files: Pick<FileStore, 'read'>,
  ) {}

  art(motifId: string): Promise<MotifArt> {
    let found = this.cache.get(motifId);
    if (!found) {
      found = (async () => motifArtFrom(await this.files.read(this.motifs.get(motifId).fileSha256)))();
      found.catch(() => this.cache.delete(motifId));
      this.cache.set(motifId, found);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    return found;
  }
}

/**
 * The artwork of every motif the view paints. A motif that is no longer in the library is left out,
 * so its print shows as a placement box rather than failing the whole colorway.
 */
export async function loadMotifArt(source: MotifArtSource | undefined, view: FlatView): Promise<Map<string, MotifArt>> {
  const arts = new Map<string, MotifArt>();
  if (!source) return arts;
  for (const id of motifsOf(view)) {
    try {
      arts.set(id, await source.art(id));
    } catch (e) {
      if (!AppError.is(e, 'NOT_FOUND')) throw e;
    }
  }
  return arts;
}
