import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's read-only data for tests, benchmarks and tools (heritage motifs, garment flats,
 * textile tiles). It is never copied into the repository: it is read from $JINXIU_SHARED_DATA, or
 * from the `shared/data` folder beside the checkout, where CI and every developer machine have it.
 */
export function sharedDataDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dir = process.env.JINXIU_SHARED_DATA ?? path.join(repo, '../shared/data');
  if (!fs.existsSync(dir)) {
    throw new Error(`The shared data folder ${dir} does not exist; set JINXIU_SHARED_DATA to the folder holding heritage_motifs/, garment_flats/ and textile_tiles/.`);
  }
  return dir;
}

/** A path inside the shared data folder, e.g. sharedData('textile_tiles', 'images'). */
export function sharedData(...segments: string[]): string {
  return path.join(sharedDataDir(), ...segments);
}
