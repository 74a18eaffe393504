import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The read-only garment flats shared with the project (never copied into the repo): taken from
 * JINXIU_SHARED_DATA, else shared/data beside the checkout, else /work/shared/data.
 */
export function garmentFlatsDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const candidates = [process.env.JINXIU_SHARED_DATA, path.join(repo, '../shared/data'), path.join(repo, 'shared/data'), '/work/shared/data']
    .filter((c): c is string => Boolean(c))
    .map((c) => path.join(c, 'garment_flats'));
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'flats_svg')));
  if (!found) throw new Error(`The shared garment flats were not found (looked in ${candidates.join(', ')}).`);
  return found;
}
