import { z } from 'zod';
import { motifPlacements, MotifPlacementSchema, type PlacedFlat } from './placement';
import { ResolvedBomRowSchema, ResolvedMotifSchema, ResolvedPomRowSchema, type ResolvedTechPack } from './resolved';

/**
 * What the tech-pack form shows beside what the technician typed: the rows and motifs the pack
 * takes from the project (flat POMs, swatch and trim BOM rows, motifs printed on the flats), so
 * every item a preflight issue points at has a place in the form, with what can be done about it.
 */
export const TechPackOutlineSchema = z.object({
  pomRows: z.array(ResolvedPomRowSchema),
  bomRows: z.array(ResolvedBomRowSchema),
  motifs: z.array(ResolvedMotifSchema),
  /** Where each motif sits on the flats, by motif id, as data the form words in its own language. */
  placements: z.record(z.string(), z.array(MotifPlacementSchema)),
});
export type TechPackOutline = z.infer<typeof TechPackOutlineSchema>;

export function outlineOf(tp: ResolvedTechPack): TechPackOutline {
  return {
    pomRows: tp.pom.rows.filter((r) => r.source !== 'manual'),
    bomRows: tp.bom.filter((r) => r.source !== 'manual'),
    motifs: tp.motifs,
    // The snapshot's flats were validated when resolved; `document` is typed unknown only in the schema.
    placements: Object.fromEntries(motifPlacements(tp.flats.map((f) => ({ name: f.name, document: f.document as PlacedFlat['document'] })))),
  };
}

/** The pack's own captions over the library's, by motif id; the library's text stays in captionZh/En. */
export function withPackCaptions(tp: ResolvedTechPack, captions: Readonly<Record<string, string>>): ResolvedTechPack {
  return {
    ...tp,
    motifs: tp.motifs.map((m) => {
      const caption = captions[m.id]?.trim();
      return caption ? { ...m, caption } : m;
    }),
  };
}
