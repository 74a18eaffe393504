import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { testFixture } from '../../test-fixtures';

/** Real heritage motifs with their captions: the repository's small sample of the shared collection (test-fixtures/README.md). */
export const HERITAGE_DIR = testFixture('heritage_motifs');

export function tempDir(prefix: string, dirs: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The first n lines of the heritage captions, written to a file of the test's own. */
export function heritageSlice(dir: string, n: number, extraLines: string[] = []): string {
  const lines = fs.readFileSync(path.join(HERITAGE_DIR, 'captions.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, n);
  const file = path.join(dir, 'slice.jsonl');
  fs.writeFileSync(file, [...lines, ...extraLines].join('\n') + '\n');
  return file;
}

/** A small real image, distinct per seed: a 64x48 gradient, as PNG or JPEG. */
export async function makeImage(seed: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const width = 64;
  const height = 48;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 4 + seed * 37) & 255;
      pixels[i + 1] = (y * 5 + seed * 91) & 255;
      pixels[i + 2] = (x * y + seed * 13) & 255;
    }
  }
  const img = sharp(pixels, { raw: { width, height, channels: 3 } });
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality: 90 }).toBuffer();
}
