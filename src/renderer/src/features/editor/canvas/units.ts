import type { Units } from '../../../../../shared/flat';

/** Document units in one centimetre: 10 for a millimetre document, 1 for centimetres, 1/2.54 for inches. */
export function unitsPerCm(units: Units): number {
  return 10 / units.mmPerUnit;
}

/**
 * The scale that makes one motif picture `pictureWidth` pixels wide print `repeatCm` wide on the
 * garment, in a document with `perCm` units to the centimetre (the pattern is drawn in document space).
 */
export function motifRepeatScale(repeatCm: number, perCm: number, pictureWidth: number): number {
  return (repeatCm * perCm) / pictureWidth;
}
