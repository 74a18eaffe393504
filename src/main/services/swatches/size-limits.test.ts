import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { Library } from '../library';
import { SwatchLibrary } from './store';

let dir: string;
let photo: string;
let lib: Library;
let swatches: SwatchLibrary;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-swatch-size-'));
  photo = path.join(dir, 'twill.png');
  const px = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < 64 * 64; i++) px.set((i % 64) + (i >> 6) * 3 < 96 ? [30, 40, 90] : [180, 170, 150], i * 3);
  await sharp(px, { raw: { width: 64, height: 64, channels: 3 } }).png().toFile(photo);
  lib = Library.open(path.join(dir, 'lib'));
  swatches = new SwatchLibrary(lib);
});
afterEach(() => {
  lib.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (table: string) => (lib.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

async function refused(work: Promise<unknown>): Promise<string> {
  const e = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(AppError.is(e, 'INVALID_INPUT')).toBe(true);
  return (e as Error).message;
}

describe('a swatch’s real size', () => {
  it('is refused outside 0.1 to 1000 cm at import, with the limits, and nothing is stored', async () => {
    expect(await refused(swatches.import({ path: photo, geometry: { widthCm: 0.01, heightCm: 0.01 } }))).toBe(
      'geometry.widthCm: A swatch is 0.1 to 1000 cm wide: no fabric repeats finer or coarser.; geometry.heightCm: A swatch is 0.1 to 1000 cm high: no fabric repeats finer or coarser.',
    );
    expect(await refused(swatches.import({ path: photo, geometry: { widthCm: 1500 } }))).toMatch(/^geometry\.widthCm: A swatch is 0\.1 to 1000 cm wide/);
    expect(count('swatches')).toBe(0);
    expect(count('files')).toBe(0);
  });

  it('is refused the same way when a swatch is reprocessed, and the swatch keeps its size', async () => {
    const swatch = await swatches.import({ path: photo, geometry: { widthCm: 0.1, heightCm: 1000 } });
    expect(swatch.geometry).toMatchObject({ widthCm: 0.1, heightCm: 1000 });
    expect(await refused(swatches.reprocess(swatch.id, { widthCm: 0.05 }))).toMatch(/A swatch is 0\.1 to 1000 cm wide/);
    expect(swatches.get(swatch.id)).toEqual(swatch);
  });
});
