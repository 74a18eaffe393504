import { AppError } from '../../../shared/contract';
import type { Motif } from '../../../shared/contract/motifs';
import type { Db } from '../library';

export interface MotifRow {
  id: string;
  file_sha256: string;
  thumb_sha256: string | null;
  caption_zh: string | null;
  caption_en: string | null;
  source: string | null;
  licence: string | null;
  attributes: string;
  created_at: string;
}

export const MOTIF_COLUMNS = 'm.id, m.file_sha256, m.thumb_sha256, m.caption_zh, m.caption_en, m.source, m.licence, m.attributes, m.created_at';

export function toMotif(r: MotifRow): Motif {
  return {
    id: r.id,
    fileSha256: r.file_sha256,
    thumbSha256: r.thumb_sha256,
    captionZh: r.caption_zh,
    captionEn: r.caption_en,
    source: r.source,
    licence: r.licence,
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}

export function getMotif(db: Db, id: string): Motif {
  const motif = findMotif(db, id);
  if (!motif) throw new AppError('NOT_FOUND', `No motif with id ${id}.`);
  return motif;
}

/** Null for a motif that is not in the library: a tech pack names the missing one instead of failing. */
export function findMotif(db: Db, id: string): Motif | null {
  const row = db.prepare(`SELECT ${MOTIF_COLUMNS} FROM motifs m WHERE m.id = ?`).get(id) as MotifRow | undefined;
  return row ? toMotif(row) : null;
}

export function listMotifs(db: Db, limit = 100, offset = 0): Motif[] {
  const rows = db.prepare(`SELECT ${MOTIF_COLUMNS} FROM motifs m ORDER BY m.created_at DESC, m.rowid DESC LIMIT ? OFFSET ?`).all(limit, offset) as MotifRow[];
  return rows.map(toMotif);
}
