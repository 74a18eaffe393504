import type { Motif } from '../../../../shared/contract';

/** The caption in the UI language, else the other one, else null. */
export function captionFor(motif: Pick<Motif, 'captionZh' | 'captionEn'>, language: string): string | null {
  const zh = motif.captionZh?.trim() || null;
  const en = motif.captionEn?.trim() || null;
  return language.startsWith('zh') ? (zh ?? en) : (en ?? zh);
}

/** The image's size in pixels as the import recorded it, which crop boxes are measured in. */
export function motifSize(motif: Pick<Motif, 'attributes'>): { width: number; height: number } | null {
  const { width, height } = motif.attributes;
  return typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 ? { width, height } : null;
}
