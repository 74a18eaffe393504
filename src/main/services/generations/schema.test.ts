import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupFile, DB_FILE, Library, MIGRATIONS } from '../library';
import { GenerationStore } from './store';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const BEFORE = MIGRATIONS.findIndex((m) => m.name === 'generations record their swatch id');

describe('migration: generations record their swatch id', () => {
  it('fills the id where exactly one swatch has the photo the render read, and leaves ambiguous and foreign names empty', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-generation-swatch-'));
    dirs.push(dir);
    // A library as the previous studio left it: renders know their swatch only by the photo's file name.
    const old = Library.open(dir, { migrations: MIGRATIONS.slice(0, BEFORE) });
    const put = async (text: string) => (await old.files.put(Buffer.from(text), 'image/png')).sha256;
    const [linen, shared, render] = [await put('linen photo'), await put('denim photo'), await put('a render')];
    const swatch = old.db.prepare(
      `INSERT INTO swatches (id, name, image_sha256, tile_sha256, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    swatch.run('sw-linen', 'Linen', linen, linen, '2026-01-01', '2026-01-01');
    swatch.run('sw-black', 'Black denim', shared, shared, '2026-01-02', '2026-01-02');
    swatch.run('sw-indigo', 'Indigo denim', shared, shared, '2026-01-03', '2026-01-03');
    old.db.prepare(`INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'Capsule', 'now', 'now')`).run();
    const generation = old.db.prepare(
      `INSERT INTO generations (id, project_id, prompt, variant, alpha, seed, steps, scheduler, pack_id, pack_version, provider, params, file_sha256, created_at)
       VALUES (?, 'p', 'a jacket', 'image-biased', 0.8, 1, 2, 'ddim', 'pack', '1', 'cpu', ?, ?, 'now')`,
    );
    generation.run('g-linen', JSON.stringify({ swatch: linen }), render);
    generation.run('g-shared', JSON.stringify({ swatch: shared }), render);
    generation.run('g-foreign', JSON.stringify({ swatch: 'denim.png' }), render);
    generation.run('g-none', JSON.stringify({ swatch: null }), render);
    old.close();

    const lib = Library.open(dir);
    try {
      expect(lib.info().schemaVersion).toBe(MIGRATIONS.length);
      expect(fs.existsSync(backupFile(path.join(dir, DB_FILE), BEFORE))).toBe(true);
      const store = new GenerationStore(lib.db);
      const swatchOf = (id: string) => store.find(id)?.swatchId;
      expect(swatchOf('g-linen')).toBe('sw-linen');
      // Two swatches share the photo: the old lookup named the older one whichever was used; now neither is guessed.
      expect(swatchOf('g-shared')).toBeNull();
      expect(swatchOf('g-foreign')).toBeNull();
      expect(swatchOf('g-none')).toBeNull();
      // The id is a real reference: deleting the swatch clears it.
      lib.db.prepare(`DELETE FROM swatches WHERE id = 'sw-linen'`).run();
      expect(swatchOf('g-linen')).toBeNull();
    } finally {
      lib.close();
    }
  });
});
