import { z } from 'zod';
import type { ResolvedTechPack } from './resolved';

/** Where the editor should jump to fix an issue: a section of the tech pack and the item in it. */
export const TECHPACK_SECTIONS = ['cover', 'flats', 'renders', 'bom', 'colorways', 'pom', 'construction', 'motifs', 'revisions'] as const;
export const PreflightTargetSchema = z.object({ section: z.enum(TECHPACK_SECTIONS), itemId: z.string().nullable() });
export type PreflightTarget = z.infer<typeof PreflightTargetSchema>;

export const PreflightIssueSchema = z.object({
  /** Errors refuse the export; warnings are shown and the export goes ahead. */
  severity: z.enum(['error', 'warning']),
  code: z.enum([
    'COVER_INCOMPLETE',
    'POM_EMPTY',
    'POM_VALUE_MISSING',
    'POM_UNIT_MISSING',
    'POM_GRADE_INVALID',
    'BOM_EMPTY',
    'BOM_COLOUR_UNUSED',
    'COLORWAY_NONE',
    'COLORWAY_WITHOUT_RENDER',
    'RENDER_MISSING',
    'MOTIF_MISSING',
    'TEXT_OVERFLOW',
    'TEXT_TRUNCATED',
    'DOCUMENT_INVALID',
  ]),
  /** English, for the CLI and logs; the studio words the issue from `code` and `params` in its own language. */
  message: z.string(),
  /** What the wording needs besides the code: names, codes and excerpts from the document, never English prose. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  target: PreflightTargetSchema,
});
export type PreflightParams = NonNullable<z.infer<typeof PreflightIssueSchema>['params']>;
export type PreflightIssue = z.infer<typeof PreflightIssueSchema>;
export type PreflightCode = PreflightIssue['code'];

export const PreflightReportSchema = z.object({
  ok: z.boolean(),
  errors: z.number().int(),
  warnings: z.number().int(),
  issues: z.array(PreflightIssueSchema),
});
export type PreflightReport = z.infer<typeof PreflightReportSchema>;

export function issue(
  severity: PreflightIssue['severity'],
  code: PreflightCode,
  message: string,
  section: PreflightTarget['section'],
  itemId: string | null = null,
  params?: PreflightParams,
): PreflightIssue {
  return params ? { severity, code, message, params, target: { section, itemId } } : { severity, code, message, target: { section, itemId } };
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Checks on the content that need no drawing: missing measurements and units, BOM colours that no
 * colorway uses, colorways without a render. Text overflow needs the font and the layout; the export
 * service adds those issues.
 */
export function checkContent(tp: ResolvedTechPack): PreflightIssue[] {
  const out: PreflightIssue[] = [];
  if (!tp.cover.styleNumber.trim()) out.push(issue('error', 'COVER_INCOMPLETE', 'The cover has no style number.', 'cover', 'styleNumber', { field: 'styleNumber' }));
  if (!tp.cover.name.trim()) out.push(issue('warning', 'COVER_INCOMPLETE', 'The cover has no style name.', 'cover', 'name', { field: 'name' }));

  if (tp.pom.rows.length === 0) out.push(issue('error', 'POM_EMPTY', 'The tech pack has no points of measure.', 'pom', null));
  for (const row of tp.pom.rows) {
    const label = `POM ${row.code}${row.description ? ` (${row.description})` : ''}`;
    const pom = { code: row.code, description: row.description };
    if (row.value === null) out.push(issue('error', 'POM_VALUE_MISSING', `${label} has no base-size value.`, 'pom', row.id, pom));
    if (row.unit === null) out.push(issue('error', 'POM_UNIT_MISSING', `${label} has no unit (cm or in).`, 'pom', row.id, pom));
  }

  if (tp.bom.length === 0) out.push(issue('warning', 'BOM_EMPTY', 'The bill of materials is empty.', 'bom', null));
  if (tp.colorways.length === 0) out.push(issue('warning', 'COLORWAY_NONE', 'The tech pack has no colorway.', 'colorways', null));
  else {
    const hexes = new Set(tp.colorways.flatMap((c) => c.colours.map((k) => norm(k.hex))));
    const names = new Set(tp.colorways.flatMap((c) => c.colours.map((k) => norm(k.name))).filter(Boolean));
    for (const row of tp.bom) {
      const used = (row.colourHex && hexes.has(norm(row.colourHex))) || (row.colourName && names.has(norm(row.colourName)));
      if ((row.colourHex || row.colourName) && !used)
        out.push(
          issue(
            'warning',
            'BOM_COLOUR_UNUSED',
            `BOM row "${row.material}" is ${row.colourName || row.colourHex}, a colour no colorway uses.`,
            'bom',
            row.id,
            { material: row.material, colour: row.colourName || row.colourHex || '' },
          ),
        );
    }
  }
  for (const cw of tp.colorways)
    if (cw.renders.length === 0)
      out.push(issue('warning', 'COLORWAY_WITHOUT_RENDER', `Colorway "${cw.name}" has no chosen render.`, 'colorways', cw.id, { colorway: cw.name }));
  return out;
}

export function report(issues: PreflightIssue[]): PreflightReport {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { ok: errors === 0, errors, warnings: issues.length - errors, issues };
}
