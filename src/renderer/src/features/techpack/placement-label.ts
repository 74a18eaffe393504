import type { TFunction } from 'i18next';
import type { MotifPlacement } from '../../../../shared/techpack';
import { templateLabel } from '../../lib/i18n-names';

/**
 * A piece of a placement line: the studio's words, or a name the technician gave (the flat's, the
 * print's, the panel's), which the screen shows verbatim and marks translate="no".
 */
export type PlacementPart = { text: string } | { name: string };

/** Marks a name's slot in the worded line; no name or locale text contains U+0000. */
const slot = (key: string) => `\u0000${key}\u0000`;

/**
 * Where a motif sits on the flats, in the studio's language, as parts. The printed sheet words the
 * same placement in its own language setting (placementSheetText); the form speaks the technician's.
 * The names are set into the locale's sentence as slots and split back out, so a name is never
 * parsed as locale markup whatever it contains. A flat begun from a template is named in English by
 * the studio ("T-shirt") and shown translated; any other flat name is the technician's own.
 */
export function placementParts(t: TFunction, p: MotifPlacement): PlacementPart[] {
  const names: Record<string, string> = { flat: templateLabel(t, p.flat) };
  if (p.kind === 'print' && p.name) names.name = p.name;
  if (p.kind === 'fill') names.panel = p.panel;
  const slots = Object.fromEntries(Object.keys(names).map((k) => [k, slot(k)]));
  const where = { ...slots, view: t(`editor:view.${p.view}`, { defaultValue: p.view }) };
  const worded =
    p.kind === 'fill'
      ? t('techpack:motifs.allOver', { ...where, repeat: p.repeatCm })
      : p.name
        ? t('techpack:motifs.placedPrint', where)
        : t('techpack:motifs.placedPrintUnnamed', where);
  // Split on the slots: odd pieces are slot keys, even pieces the locale's words.
  return worded
    .split('\u0000')
    .map((piece, i): PlacementPart => (i % 2 === 1 ? { name: names[piece] ?? piece } : { text: piece }))
    .filter((part) => ('text' in part ? part.text !== '' : true));
}

/** All of a motif's placements as parts, joined as the locale joins a list. */
export function placementsParts(t: TFunction, places: readonly MotifPlacement[]): PlacementPart[] {
  return places.flatMap((p, i) => (i === 0 ? placementParts(t, p) : [{ text: t('techpack:motifs.placementsJoin') }, ...placementParts(t, p)]));
}

/** All of a motif's placements on one line of plain text (for a title or an aria label). */
export function placementsLabel(t: TFunction, places: readonly MotifPlacement[]): string {
  return placementsParts(t, places)
    .map((part) => ('text' in part ? part.text : part.name))
    .join('');
}
