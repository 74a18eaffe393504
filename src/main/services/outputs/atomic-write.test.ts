import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract';
import { writeFileAtomic } from './atomic-write';
import { tinyDisk } from './test-fixtures/tiny-disk';

const here = path.dirname(fileURLToPath(import.meta.url));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-atomic-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function appErrorOf(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`);
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('writeFileAtomic', () => {
  it('writes new files and replaces old ones, leaving no temp file beside them', async () => {
    const png = path.join(dir, 'image-biased.png');
    await writeFileAtomic(png, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFileAtomic(path.join(dir, 'run.json'), '{"seed":1}\n');
    await writeFileAtomic(path.join(dir, 'run.json'), '{"seed":2}\n');
    expect(fs.readFileSync(png)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).toBe('{"seed":2}\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['image-biased.png', 'run.json']);
  });

  it('says which place cannot be written, in words, and creates nothing', async () => {
    const missing = await appErrorOf(() => writeFileAtomic(path.join(dir, 'no-such', 'sheet-01.png'), 'x'));
    expect(missing.code).toBe('INVALID_INPUT');
    expect(missing.message).toBe(`Cannot write ${path.join(dir, 'no-such', 'sheet-01.png')}: its folder does not exist.`);
    const onFolder = await appErrorOf(async () => {
      fs.mkdirSync(path.join(dir, 'colorway.png'));
      await writeFileAtomic(path.join(dir, 'colorway.png'), 'x');
    });
    expect(onFolder.message).toBe(`Cannot write ${path.join(dir, 'colorway.png')}: it is a folder.`);
    expect(fs.readdirSync(dir)).toEqual(['colorway.png']);
    expect(fs.readdirSync(path.join(dir, 'colorway.png'))).toEqual([]);
  });

  it.skipIf(!tinyDisk)('on a full disk answers DISK_FULL and keeps the earlier file whole', () => {
    const run = tinyDisk!.run(path.join(here, 'test-fixtures', 'full-disk-write.ts'), '1m');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout.trim()) as { error: { code: string; message: string } | null; left: string[]; content: string };
    expect(report.error?.code).toBe('DISK_FULL');
    expect(report.error?.message).toMatch(/^The disk is full: .*run\.json was not written, and any earlier file there is unchanged\.$/);
    expect(report.content).toBe('{"seed":42}\n');
    expect(report.left).toEqual(['run.json']);
  });
});
