/**
 * A motif travels from the search panel to the flat editor by HTML5 drag and drop under its own MIME
 * type, so no other drop (a file, a text) is ever taken for a motif.
 */
export const MOTIF_MIME = 'application/x-jinxiu-motif';

export interface MotifDrag {
  motifId: string;
  /** The caption in the language of the drag, to name the print in the document. */
  caption: string;
}

export function putMotifDrag(data: DataTransfer, drag: MotifDrag): void {
  data.setData(MOTIF_MIME, JSON.stringify(drag));
  // Somewhere that takes only text (a note, a search box) gets the caption.
  data.setData('text/plain', drag.caption);
  data.effectAllowed = 'copy';
}

/** During dragover only the types can be read, not the data. */
export function carriesMotif(data: DataTransfer | null): boolean {
  return !!data && Array.from(data.types).includes(MOTIF_MIME);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The dragged motif, or null when the drop carries none or something malformed. */
export function takeMotifDrag(data: DataTransfer | null): MotifDrag | null {
  const text = data?.getData(MOTIF_MIME);
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { motifId, caption } = value as Record<string, unknown>;
    if (typeof motifId !== 'string' || !UUID.test(motifId)) return null;
    return { motifId, caption: typeof caption === 'string' ? caption.slice(0, 120) : '' };
  } catch {
    return null;
  }
}
