import type Database from 'better-sqlite3';
import { segmentForIndex } from './text';

/**
 * Migration adding caption search. It lives beside the motif service (it needs the service's text
 * segmentation to fill the index from motifs already in the library) and is listed in
 * library/migrations.ts. It must not import the library: the library imports it.
 *
 * motif_text holds the segmented captions (see text.ts for why Chinese is stored as unigrams and
 * bigrams); motif_id is UNINDEXED and is what joins it to motifs, because the rowid of a table with a
 * TEXT primary key may change on VACUUM. The trigger keeps it in step when a motif is deleted.
 */
export const MOTIF_TEXT_MIGRATION = {
  name: 'motif caption search (FTS5)',
  sql: `
    CREATE VIRTUAL TABLE motif_text USING fts5(
      motif_id UNINDEXED, title, caption, context,
      tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER motif_text_on_delete AFTER DELETE ON motifs BEGIN
      DELETE FROM motif_text WHERE motif_id = old.id;
    END;
  `,
  up(db: Database.Database): void {
    const rows = db.prepare('SELECT id, caption_zh, caption_en, attributes FROM motifs').all() as MotifTextRow[];
    const insert = db.prepare('INSERT INTO motif_text (motif_id, title, caption, context) VALUES (@motif_id, @title, @caption, @context)');
    for (const row of rows) insert.run(motifTextColumns(row));
  },
};

/**
 * Re-segments every caption with the current text.ts: its place names (龙泉窑 is no dragon) changed
 * the index's tokens, and a library indexed before would keep the old false matches until re-import.
 */
export const MOTIF_TEXT_RESEGMENT_MIGRATION = {
  name: 'motif caption search: place names are not motif words',
  up(db: Database.Database): void {
    db.exec('DELETE FROM motif_text');
    MOTIF_TEXT_MIGRATION.up(db);
  },
};

export interface MotifTextRow {
  id: string;
  caption_zh: string | null;
  caption_en: string | null;
  attributes: string;
}

/** What of a motif is searchable, by column: titles weigh most, the page's prose least. */
export function motifTextColumns(row: MotifTextRow): { motif_id: string; title: string; caption: string; context: string } {
  const a = JSON.parse(row.attributes) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    motif_id: row.id,
    title: segmentForIndex([str(a.titleZh), str(a.titleEn)].join(' ')),
    caption: segmentForIndex([row.caption_zh ?? '', row.caption_en ?? ''].join(' ')),
    context: segmentForIndex([str(a.context), ...list(a.tags)].join(' ')),
  };
}
