import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryInfoSchema } from '../../../shared/contract';
import { DB_FILE, Library, MIGRATIONS } from './index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-info-'));
  dirs.push(dir);
  return dir;
}

describe('Library.info', () => {
  it('describes an empty library', () => {
    const dir = tempDir();
    const lib = Library.open(path.join(dir, 'nested', 'library'));
    const info = lib.info();
    expect(LibraryInfoSchema.parse(info)).toEqual(info);
    expect(info.path).toBe(path.join(dir, 'nested', 'library'));
    expect(info.schemaVersion).toBe(MIGRATIONS.length);
    expect(info.integrity).toBe('ok');
    expect(info.files).toEqual({ count: 0, bytes: 0 });
    expect(Object.values(info.counts).every((n) => n === 0)).toBe(true);
    expect(Object.keys(info.counts).sort()).toEqual(['flats', 'generations', 'jobs', 'motifs', 'projects', 'prompts', 'swatches', 'techpacks']);
    expect(info.sizeBytes).toBeGreaterThan(0);
    lib.close();
  });

  it('counts rows and stored files and reports the size on disk', async () => {
    const dir = tempDir();
    const lib = Library.open(dir);
    lib.projects.create('Shirt');
    lib.projects.create('Qipao');
    await lib.files.put(Buffer.alloc(1000, 1), 'image/png');
    await lib.files.put(Buffer.alloc(2345, 2), 'image/png');
    await lib.files.put(Buffer.alloc(1000, 1), 'image/png'); // the same bytes are stored once
    const info = lib.info();
    expect(info.counts.projects).toBe(2);
    expect(info.files).toEqual({ count: 2, bytes: 3345 });
    const file = path.join(dir, DB_FILE);
    const onDisk = fs.statSync(file).size + (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    expect(info.sizeBytes).toBe(onDisk);
    lib.close();
  });
});
