import { AppError, SwatchBomSchema, type SwatchBom } from '../../../shared/contract';
import type { FlatDocument } from '../../../shared/flat';
import {
  RESOLVED_FORMAT,
  blankBomRow,
  formatGraded,
  formatTolerance,
  issue,
  motifPlacements,
  placementSheetText,
  type PreflightIssue,
  type ResolvedBomRow,
  type ResolvedColorway,
  type ResolvedMotif,
  type ResolvedPomRow,
  type ResolvedTechPack,
  type RevisionLogEntry,
  type TechPackDocument,
} from '../../../shared/techpack';
import type { TechPackSources } from './sources';

export interface ResolveInput {
  techpackId: string;
  projectId: string;
  projectName: string;
  document: TechPackDocument;
  revision: number;
  revisedAt: string;
  /** Entries of the revisions before this one. */
  previousLog: RevisionLogEntry[];
}

const TRIM_NAMES: Record<string, string> = { button: 'Button 纽扣', zipper: 'Zipper 拉链', rivet: 'Rivet 铆钉', label: 'Label 商标', snap: 'Snap 按扣', eyelet: 'Eyelet 气眼' };

interface FlatRow {
  id: string;
  name: string;
  version: number;
  document: FlatDocument;
}

/** The project's flats at their head versions, oldest first, or the ones the document names in its order. */
function projectFlats(sources: TechPackSources, projectId: string, only: string[]): FlatRow[] {
  // Oldest first with the id breaking ties, as SQLite compares text: byte order, not the locale's.
  const saved = sources.flats
    .list(projectId)
    .filter((f) => f.headVersion > 0)
    .sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const chosen = only.length ? only.map((id) => saved.find((f) => f.id === id)).filter((f): f is (typeof saved)[number] => !!f) : saved;
  return chosen.map((f) => {
    const { flat, doc } = sources.flats.get(f.id);
    return { id: flat.id, name: flat.name, version: flat.headVersion, document: doc };
  });
}

interface SwatchFacts {
  id: string;
  name: string;
  bom: SwatchBom;
}

function swatchFacts(sources: TechPackSources, ids: string[]): Map<string, SwatchFacts> {
  const out = new Map<string, SwatchFacts>();
  for (const id of ids) {
    const swatch = sources.swatches.find(id);
    if (!swatch) continue;
    // A swatch stored by an older studio may hold a BOM this schema no longer reads: its row prints blank.
    const bom = SwatchBomSchema.safeParse(swatch.bom ?? {});
    out.set(id, { id: swatch.id, name: swatch.name, bom: bom.success ? bom.data : SwatchBomSchema.parse({}) });
  }
  return out;
}

function constructionText(bom: SwatchBom): string {
  const c = bom.construction;
  const kind = !c ? '' : c.kind === 'woven' ? `woven ${c.weave}` : c.kind === 'knit' ? `knit ${c.structure}` : [c.kind, c.note].filter(Boolean).join(' ');
  return [kind, bom.finish].filter(Boolean).join(', ');
}

/** BOM rows: one per swatch (assigned to panels or used by the project), one per trim type, then manual rows. */
function resolveBom(sources: TechPackSources, projectId: string, flats: FlatRow[], doc: TechPackDocument): ResolvedBomRow[] {
  const placements = new Map<string, string[]>();
  const trims = new Map<string, { count: number; names: string[] }>();
  for (const flat of flats)
    for (const view of flat.document.views)
      for (const item of view.items) {
        if (item.type === 'shape' && item.fabric) {
          const list = placements.get(item.fabric.swatchId) ?? [];
          const name = item.name || item.id;
          if (!list.includes(name)) list.push(name);
          placements.set(item.fabric.swatchId, list);
        }
        if (item.type === 'trim') {
          const t = trims.get(item.trim) ?? { count: 0, names: [] };
          t.count++;
          const name = item.text || item.name;
          if (name && !t.names.includes(name)) t.names.push(name);
          trims.set(item.trim, t);
        }
      }
  const projectSwatches = sources.swatches.idsInProject(projectId);
  const ids = [...placements.keys(), ...projectSwatches.filter((id) => !placements.has(id))];
  const facts = swatchFacts(sources, ids);
  const rows: ResolvedBomRow[] = [];
  for (const id of ids) {
    const s = facts.get(id);
    if (!s) continue;
    rows.push({
      id: `fabric:${id}`,
      source: 'fabric',
      material: s.name,
      fibreContent: s.bom.fibreContent.map((f) => `${f.percent}% ${f.fibre}`).join(', '),
      construction: constructionText(s.bom),
      weight: s.bom.weightGsm !== null ? `${s.bom.weightGsm} g/m²` : '',
      colourName: s.bom.colour?.name ?? '',
      colourHex: s.bom.colour?.hex ?? null,
      supplier: s.bom.supplier ?? '',
      reference: s.bom.reference ?? '',
      placement: (placements.get(id) ?? []).join(', '),
      quantity: '',
    });
  }
  for (const [trim, t] of [...trims].sort(([a], [b]) => a.localeCompare(b)))
    rows.push({
      ...blankBomRow(`trim:${trim}`),
      source: 'trim',
      material: TRIM_NAMES[trim] ?? trim,
      placement: t.names.join(', '),
      quantity: `${t.count} pcs`,
    });
  for (const row of rows) {
    const o = doc.bom.overrides[row.id];
    if (o?.placement !== undefined) row.placement = o.placement;
    if (o?.quantity !== undefined) row.quantity = o.quantity;
  }
  for (const m of doc.bom.rows) rows.push({ ...m, source: 'manual' });
  return rows;
}

function resolvePom(flats: FlatRow[], doc: TechPackDocument, issues: PreflightIssue[]): ResolvedTechPack['pom'] {
  const table = doc.pom;
  const rows: ResolvedPomRow[] = [];
  for (const flat of flats)
    for (const view of flat.document.views)
      for (const pom of view.poms) {
        if (rows.some((r) => r.code === pom.code)) continue;
        rows.push({
          id: `${flat.id}:${view.id}:${pom.id}`,
          source: 'flat',
          code: pom.code,
          description: table.descriptions[pom.code] ?? pom.name,
          value: String(pom.value),
          unit: pom.unit,
          tolerance: pom.tolerance !== null ? String(pom.tolerance) : table.defaultTolerance,
          toleranceUnit: pom.tolerance !== null ? pom.unit : table.unit,
          printedTolerance: null,
          printedValues: null,
        });
      }
  for (const m of table.rows) {
    const row: ResolvedPomRow = {
      id: m.id,
      source: 'manual',
      code: m.code,
      description: m.description,
      value: m.value,
      unit: m.unit,
      tolerance: m.tolerance,
      toleranceUnit: m.unit ?? table.unit,
      printedTolerance: null,
      printedValues: null,
    };
    const at = rows.findIndex((r) => r.code === m.code);
    if (at >= 0) rows[at] = row;
    else rows.push(row);
  }
  for (const row of rows) {
    if (row.tolerance !== null && row.toleranceUnit) row.printedTolerance = formatTolerance(row.tolerance, row.toleranceUnit, table.unit);
    if (row.value === null || row.unit === null) continue;
    try {
      row.printedValues = formatGraded({
        value: row.value,
        unit: row.unit,
        sizes: table.sizes,
        baseSize: table.baseSize,
        rule: table.gradeRules.find((g) => g.code === row.code) ?? null,
        tableUnit: table.unit,
      });
    } catch (e) {
      issues.push(issue('error', 'POM_GRADE_INVALID', `POM ${row.code}: ${(e as Error).message}`, 'pom', row.id, { code: row.code }));
    }
  }
  return { unit: table.unit, sizes: table.sizes, baseSize: table.baseSize, rows };
}

function resolveColorways(sources: TechPackSources, projectId: string, doc: TechPackDocument, issues: PreflightIssue[]): ResolvedColorway[] {
  return doc.colorways.map((cw) => ({
    id: cw.id,
    name: cw.name,
    code: cw.code,
    colours: cw.colours,
    renders: cw.renderIds.flatMap((gid) => {
      const g = sources.generations.find(gid);
      if (!g || g.projectId !== projectId) {
        issues.push(issue('error', 'RENDER_MISSING', `Colorway "${cw.name}" shows render ${gid}, which this project does not have.`, 'colorways', cw.id, { colorway: cw.name }));
        return [];
      }
      // The swatch by the id the render recorded: a name or a photo may be shared by two swatches.
      const swatch = g.swatchId ? sources.swatches.find(g.swatchId) : null;
      return [
        {
          generationId: g.id,
          sha256: g.fileSha256,
          width: g.width,
          height: g.height,
          settings: {
            prompt: g.prompt,
            variant: g.variant,
            alpha: g.alpha,
            seed: g.seed,
            steps: g.steps,
            scheduler: g.scheduler,
            packId: g.packId,
            packVersion: g.packVersion,
            provider: g.provider,
            // Left out rather than null without one, so a pack whose renders used no library swatch
            // resolves to the very content (and content hash) it had before renders recorded it.
            ...(swatch ? { swatch: { id: swatch.id, name: swatch.name } } : {}),
          },
        },
      ];
    }),
  }));
}

/**
 * Where the flats use motifs, by motif, as the sheet prints it (placementSheetText: "Placed print
 * 定位印花 (Chest print), T-shirt front"); the studio's form words the same placements from its locale.
 */
function flatMotifPlacements(flats: readonly FlatRow[]): Map<string, string[]> {
  return new Map([...motifPlacements(flats)].map(([motifId, places]) => [motifId, [...new Set(places.map(placementSheetText))]]));
}

function resolveMotifs(sources: TechPackSources, doc: TechPackDocument, issues: PreflightIssue[], flats: readonly FlatRow[] = []): ResolvedMotif[] {
  // A motif printed on a flat is credited like one referenced by hand: its source and licence are
  // listed even when nobody added it to the references.
  const placed = flatMotifPlacements(flats);
  const referenced = new Set(doc.motifs.map((r) => r.motifId));
  const refs = [
    ...doc.motifs,
    ...[...placed.keys()].filter((id) => !referenced.has(id)).map((motifId) => ({ motifId, placement: placed.get(motifId)!.join('; ').slice(0, 200) })),
  ];
  return refs.flatMap((ref) => {
    const m = sources.motifs.find(ref.motifId);
    if (!m) {
      issues.push(issue('error', 'MOTIF_MISSING', `Motif ${ref.motifId} is not in the library.`, 'motifs', ref.motifId, { motif: ref.motifId }));
      return [];
    }
    return [
      {
        id: m.id,
        captionZh: m.captionZh,
        captionEn: m.captionEn,
        source: m.source,
        licence: m.licence,
        placement: ref.placement,
        imageSha256: m.thumbSha256 ?? m.fileSha256,
      },
    ];
  });
}

/**
 * Resolves the document against the project as it is now. Problems that make a row unprintable are
 * returned as preflight issues rather than thrown, so the editor can list them all at once.
 */
export function resolveTechPack(sources: TechPackSources, input: ResolveInput): { techPack: ResolvedTechPack; issues: PreflightIssue[] } {
  const { document: doc } = input;
  const issues: PreflightIssue[] = [];
  let flats: FlatRow[];
  try {
    flats = projectFlats(sources, input.projectId, doc.flatIds);
  } catch (e) {
    throw new AppError('INVALID_INPUT', `A flat of this project cannot be read: ${(e as Error).message}`);
  }
  const techPack: ResolvedTechPack = {
    format: RESOLVED_FORMAT,
    techpackId: input.techpackId,
    projectId: input.projectId,
    projectName: input.projectName,
    revision: input.revision,
    revisedAt: input.revisedAt,
    cover: doc.cover,
    paper: doc.paper,
    flats: flats.map((f) => ({ id: f.id, version: f.version, name: f.name, document: f.document })),
    colorways: resolveColorways(sources, input.projectId, doc, issues),
    bom: resolveBom(sources, input.projectId, flats, doc),
    pom: resolvePom(flats, doc, issues),
    constructionNotes: doc.constructionNotes,
    motifs: resolveMotifs(sources, doc, issues, flats),
    revisionLog: [...input.previousLog, { revision: input.revision, date: input.revisedAt, note: doc.revisionNote }],
  };
  return { techPack, issues };
}
