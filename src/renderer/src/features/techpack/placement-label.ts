import type { TFunction } from 'i18next';
import type { MotifPlacement } from '../../../../shared/techpack';

/**
 * Where a motif sits on the flats, in the studio's language. The printed sheet words the same
 * placement in both languages (placementSheetText); the form speaks the technician's. The flat's
 * and the print's names are the technician's own and are shown as they were given.
 */
export function placementLabel(t: TFunction, p: MotifPlacement): string {
  const where = { flat: p.flat, view: t(`editor:view.${p.view}`, { defaultValue: p.view }) };
  if (p.kind === 'fill') return t('techpack:motifs.allOver', { ...where, repeat: p.repeatCm, panel: p.panel });
  return p.name ? t('techpack:motifs.placedPrint', { ...where, name: p.name }) : t('techpack:motifs.placedPrintUnnamed', where);
}

/** All of a motif's placements on one line. */
export function placementsLabel(t: TFunction, places: readonly MotifPlacement[]): string {
  return places.map((p) => placementLabel(t, p)).join(t('techpack:motifs.placementsJoin'));
}
