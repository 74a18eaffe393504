import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Library, MIGRATIONS } from '../library';
import { searchCaptions } from './search';
import { tempDir } from './test-kit';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A library migrated only to `version`, holding one motif 'm1' with these captions; left open. */
async function libraryAt(version: number, motif: { captionZh: string; captionEn: string; attributes: string }): Promise<{ dir: string; lib: Library }> {
  const dir = tempDir('jinxiu-motif-migrate-', dirs);
  const lib = Library.open(dir, { migrations: MIGRATIONS.slice(0, version) });
  const { sha256 } = await lib.files.put(Buffer.from(motif.captionEn), 'image/png');
  lib.db
    .prepare(`INSERT INTO motifs (id, file_sha256, caption_zh, caption_en, attributes, created_at) VALUES ('m1', ?, ?, ?, ?, 'now')`)
    .run(sha256, motif.captionZh, motif.captionEn, motif.attributes);
  return { dir, lib };
}

describe('migration 2: motif caption search', () => {
  it('indexes the captions of motifs a version-1 library already holds, and follows deletes', async () => {
    const { dir, lib: v1 } = await libraryAt(1, { captionZh: '缠枝莲花纹锦', captionEn: 'Brocade with scrolling lotus', attributes: '{"titleEn": "Lotus brocade"}' });
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

describe('migration 7: place names are not motif words', () => {
  it('re-segments captions indexed before, so "dragon" no longer finds a Longquan (龙泉) kiln piece', async () => {
    const { dir, lib: v6 } = await libraryAt(6, { captionZh: '青釉刻花牡丹纹梅瓶 龙泉窑', captionEn: 'Celadon vase with carved peony design', attributes: '{}' });
    // What an import indexed before: 龙泉 as its characters too, so the dragon's 龙 matched.
    v6.db
      .prepare("INSERT INTO motif_text (motif_id, title, caption, context) VALUES ('m1', '', ?, '')")
      .run('青 釉 刻 花 牡 丹 纹 梅 瓶 青釉 釉刻 刻花 花牡 牡丹 丹纹 纹梅 梅瓶 龙 泉 窑 龙泉 泉窑 Celadon vase with carved peony design');
    expect(searchCaptions(v6.db, 'dragon').hits.map((h) => h.motif.id)).toEqual(['m1']);
    v6.close();

    const lib = Library.open(dir);
    try {
      expect(lib.info().schemaVersion).toBe(MIGRATIONS.length);
      expect(searchCaptions(lib.db, 'dragon').hits).toEqual([]);
      expect(searchCaptions(lib.db, 'peony').hits.map((h) => h.motif.id)).toEqual(['m1']);
      expect(searchCaptions(lib.db, '龙泉').hits.map((h) => h.motif.id)).toEqual(['m1']);
      expect(lib.db.prepare('SELECT count(*) FROM motif_text').pluck().get()).toBe(1);
    } finally {
      lib.close();
    }
  });
});
