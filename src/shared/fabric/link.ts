import { deltaE76, hexToLab, isHex, type Lab } from './colour-space';
import { colourEntry } from './lexicon';
import type { ColourId, FabricId } from './types';

/** What the linker needs to know of a project's swatch. */
export interface SwatchCandidate {
  id: string;
  name: string;
  category: string | null;
  /** The swatch's recorded colour (sRGB hex), if any. */
  colourHex?: string | null;
}

export interface SwatchLink {
  swatchId: string;
  fabric: FabricId;
  /** Why this one: the only swatch of the category, the nearest to the asked colour, or the first. */
  reason: 'only-of-category' | 'nearest-colour' | 'first-of-category';
  /** CIE76 distance to the asked colour when the colour decided. */
  deltaE?: number;
}

/**
 * HiGarment's semantic enhancement, library side: the fabric word of the prompt picks the project's
 * swatch of that category, whose image then conditions generation. With several swatches of the
 * category the one closest in Lab to the first colour asked for wins; otherwise the first in the
 * given order (the caller orders by its own preference, e.g. most recently used). No swatch of the
 * category: null, and generation runs with the text alone.
 */
export function pickSwatch(
  fabric: FabricId | null,
  swatches: readonly SwatchCandidate[],
  colours: readonly ColourId[] = [],
): SwatchLink | null {
  if (!fabric) return null;
  const same = swatches.filter((s) => s.category === fabric);
  if (same.length === 0) return null;
  if (same.length === 1) return { swatchId: same[0]!.id, fabric, reason: 'only-of-category' };
  const wanted = colours[0];
  const coloured = same.filter((s): s is SwatchCandidate & { colourHex: string } => typeof s.colourHex === 'string' && isHex(s.colourHex));
  if (wanted && coloured.length > 0) {
    const target: Lab = hexToLab(colourEntry(wanted).hex);
    let best = coloured[0]!;
    let bestD = deltaE76(target, hexToLab(best.colourHex));
    for (const s of coloured.slice(1)) {
      const d = deltaE76(target, hexToLab(s.colourHex));
      if (d < bestD) {
        best = s;
        bestD = d;
      }
    }
    return { swatchId: best.id, fabric, reason: 'nearest-colour', deltaE: Math.round(bestD * 100) / 100 };
  }
  return { swatchId: same[0]!.id, fabric, reason: 'first-of-category' };
}

/** The colour of the lexicon nearest to a hex (naming a swatch or a flat's fill). */
export function nearestColour(hex: string, palette: readonly { id: ColourId; hex: string }[]): ColourId {
  const lab = hexToLab(hex);
  let best = palette[0]!;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of palette) {
    const d = deltaE76(lab, hexToLab(c.hex));
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best.id;
}
