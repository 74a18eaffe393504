import { z } from 'zod';
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
});
export type TechPackOutline = z.infer<typeof TechPackOutlineSchema>;

export function outlineOf(tp: ResolvedTechPack): TechPackOutline {
  return {
    pomRows: tp.pom.rows.filter((r) => r.source !== 'manual'),
    bomRows: tp.bom.filter((r) => r.source !== 'manual'),
    motifs: tp.motifs,
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
