import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Library, MIGRATIONS } from '../library';
import { searchCaptions } from './search';
import { tempDir } from './test-kit';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('migration 2: motif caption search', () => {
  it('indexes the captions of motifs a version-1 library already holds, and follows deletes', async () => {
    const dir = tempDir('jinxiu-motif-migrate-', dirs);
    const v1 = Library.open(dir, { migrations: MIGRATIONS.slice(0, 1) });
    const { sha256 } = await v1.files.put(Buffer.from('a lotus roundel'), 'image/png');
    v1.db
      .prepare(`INSERT INTO motifs (id, file_sha256, caption_zh, caption_en, attributes, created_at) VALUES ('m1', ?, '缠枝莲花纹锦', 'Brocade with scrolling lotus', '{"titleEn": "Lotus brocade"}', 'now')`)
      .run(sha256);
    v1.close();

    const lib = Library.open(dir);
    try {
      expect(lib.info().schemaVersion).toBe(MIGRATIONS.length);
      expect(searchCaptions(lib.db, '莲花').hits.map((h) => h.motif.id)).toEqual(['m1']);
      expect(searchCaptions(lib.db, 'lotus').hits.map((h) => h.motif.id)).toEqual(['m1']);
      expect(searchCaptions(lib.db, '枝莲').hits.map((h) => h.motif.id)).toEqual(['m1']);
      lib.db.prepare("DELETE FROM motifs WHERE id = 'm1'").run();
      expect(lib.db.prepare('SELECT count(*) FROM motif_text').pluck().get()).toBe(0);
    } finally {
      lib.close();
    }
  });
});
