import { z } from 'zod';
import type { FlatDocument } from '../flat/schema';

/**
 * Where a motif sits on the project's flats: a placed print, or a panel filled with the motif as an
 * all-over repeat. Kept as data so each reader words it in its own language: the printed sheet in
 * both (placementSheetText, the factory's convention), the studio's form from its locale files.
 */
export const MotifPlacementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('print'),
    /** The print's own name on the flat (often the motif's caption); empty when it has none. */
    name: z.string(),
    flat: z.string(),
    view: z.string(),
  }),
  z.object({
    kind: z.literal('fill'),
    repeatCm: z.number(),
    /** The filled panel's name, or its id when it has none. */
    panel: z.string(),
    flat: z.string(),
    view: z.string(),
  }),
]);
export type MotifPlacement = z.infer<typeof MotifPlacementSchema>;

/** The flats as the tech pack takes them: a name and the document (views and their items). */
export interface PlacedFlat {
  name: string;
  document: Pick<FlatDocument, 'views'>;
}

/** Each motif's placements on the flats, by motif id, in drawing order, each one listed once. */
export function motifPlacements(flats: readonly PlacedFlat[]): Map<string, MotifPlacement[]> {
  const uses = new Map<string, MotifPlacement[]>();
  const add = (motifId: string, p: MotifPlacement) => {
    const list = uses.get(motifId) ?? [];
    const same = JSON.stringify(p);
    if (!list.some((q) => JSON.stringify(q) === same)) list.push(p);
    uses.set(motifId, list);
  };
  for (const flat of flats)
    for (const view of flat.document.views)
      for (const item of view.items) {
        if (item.type === 'print') add(item.motifId, { kind: 'print', name: item.name ?? '', flat: flat.name, view: view.id });
        else if (item.type === 'shape' && item.motifFill)
          add(item.motifFill.motifId, { kind: 'fill', repeatCm: item.motifFill.repeatCm, panel: item.name || item.id, flat: flat.name, view: view.id });
      }
  return uses;
}

/**
 * A placement as the printed sheet words it, English and Chinese side by side as the sheet's other
 * labels are ("Placed print 定位印花 (Chest print), T-shirt front"; "All-over repeat 满版印花 10 cm:
 * Body, T-shirt back"). The resolved pack stores this text, so it must not change for old packs.
 */
export function placementSheetText(p: MotifPlacement): string {
  const where = `${p.flat} ${p.view}`;
  return p.kind === 'print' ? `Placed print 定位印花${p.name ? ` (${p.name})` : ''}, ${where}` : `All-over repeat 满版印花 ${p.repeatCm} cm: ${p.panel}, ${where}`;
}
