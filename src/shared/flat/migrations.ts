import { AppError } from '../contract/errors';
import { migrateColour } from './colour';
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument } from './schema';

type Json = Record<string, unknown>;

/** One step from `from` to `from + 1`; steps work on plain JSON so old files need no old types. */
export interface FlatMigration {
  from: number;
  describe: string;
  up(doc: Json): Json;
}

export const FLAT_MIGRATIONS: readonly FlatMigration[] = [
  {
    // v1 (the first draft format) always meant millimetres and keyed views by name.
    from: 1,
    describe: 'declare units with a scale; views become an ordered list',
    up(doc) {
      const views = (doc.views ?? {}) as Record<string, Json>;
      const list = Array.isArray(views)
        ? views
        : (['front', 'back'] as const).filter((k) => views[k] !== undefined).map((k) => ({ ...views[k], id: k }));
      return { ...doc, schemaVersion: 2, units: { name: 'mm', mmPerUnit: 1 }, views: list };
    },
  },
  {
    // v2 had no print item: a motif dropped on the flat was a detail shape (its placement box) whose
    // name ended in "[motif:<uuid>]". Those become real prints; nothing else changes.
    from: 2,
    describe: 'motif-tagged detail shapes become print items',
    up(doc) {
      const views = Array.isArray(doc.views) ? (doc.views as Json[]) : [];
      return { ...doc, schemaVersion: 3, views: views.map(taggedPrintsToItems) };
    },
  },
  {
    // v3 kept any string of 64 characters as a colour, so an imported file could leave an outside
    // url(http://...) or an rgb() in it. Colours are parsed now; see migrateColour.
    from: 3,
    describe: 'colours become parsed colours (hex, a name, url(#id) or none)',
    up(doc) {
      const views = Array.isArray(doc.views) ? (doc.views as Json[]) : [];
      return { ...doc, schemaVersion: 4, views: views.map(parsedColours) };
    },
  },
];

function parsedColours(view: Json): Json {
  if (!Array.isArray(view.items)) return view;
  const colour = (v: unknown) => (typeof v === 'string' ? migrateColour(v) : v);
  const items = (view.items as Json[]).map((item) => {
    if (typeof item !== 'object' || item === null) return item;
    const next: Json = { ...item };
    if (typeof item.style === 'object' && item.style !== null) {
      const style = { ...(item.style as Json) };
      if ('stroke' in style) style.stroke = colour(style.stroke);
      if ('fill' in style) style.fill = colour(style.fill);
      next.style = style;
    }
    if ('colour' in item) next.colour = colour(item.colour);
    return next;
  });
  return { ...view, items };
}

/** The v2 print tag: the motif id at the very end of a detail shape's name. */
const V2_PRINT_TAG = /\s*\[motif:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\]$/i;

function segmentPoints(segments: unknown): { x: number; y: number }[] {
  if (!Array.isArray(segments)) return [];
  const out: { x: number; y: number }[] = [];
  for (const seg of segments as Json[])
    for (const key of ['to', 'c', 'c1', 'c2']) {
      const p = seg[key] as Json | undefined;
      if (p && typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y)) out.push({ x: p.x, y: p.y });
    }
  return out;
}

/** A v2 tagged shape as a v3 print over the same box, or null when it is not one. */
function printFromTagged(item: Json): Json | null {
  if (item.type !== 'shape' || item.role !== 'detail' || typeof item.name !== 'string') return null;
  const tag = V2_PRINT_TAG.exec(item.name);
  const pts = segmentPoints(item.segments);
  if (!tag || pts.length === 0) return null;
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const style = (item.style ?? {}) as Json;
  return {
    id: item.id,
    layerId: item.layerId,
    name: item.name.slice(0, tag.index).trim(),
    type: 'print',
    motifId: tag[1]!.toLowerCase(),
    at: { x: (minX + maxX) / 2, y: (minY + maxY) / 2 },
    // A degenerate box (all points on a line) still gets an area the print can be seen and grabbed by.
    width: Math.max(maxX - minX, 1),
    height: Math.max(maxY - minY, 1),
    rotation: 0,
    opacity: typeof style.opacity === 'number' ? style.opacity : 1,
  };
}

function taggedPrintsToItems(view: Json): Json {
  const items = Array.isArray(view.items) ? (view.items as Json[]) : [];
  const converted = new Set<unknown>();
  const next = items.map((item) => {
    const print = printFromTagged(item);
    if (!print) return item;
    converted.add(item.id);
    return print;
  });
  if (converted.size === 0) return view;
  // A print has no anchors and no mirror twin: measurements and twins that named the old shape go.
  const refersTo = (ids: unknown[]) => ids.some((id) => converted.has(id));
  const poms = Array.isArray(view.poms)
    ? (view.poms as Json[]).filter((p) => !refersTo([(p.from as Json | undefined)?.shapeId, (p.to as Json | undefined)?.shapeId]))
    : view.poms;
  const twins = Array.isArray(view.twins) ? (view.twins as Json[]).filter((t) => !refersTo([t.source, t.target])) : view.twins;
  return { ...view, items: next, ...(poms !== undefined ? { poms } : {}), ...(twins !== undefined ? { twins } : {}) };
}

function issuesText(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
    .join('; ');
}

/** Brings any stored version up to the current one and validates it; never mutates its input. */
export function loadFlat(raw: unknown): FlatDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new AppError('INVALID_INPUT', 'A flat document must be a JSON object.');
  let doc = raw as Json;
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new AppError('INVALID_INPUT', 'The flat document has no valid schemaVersion.');
  if (version > FLAT_SCHEMA_VERSION)
    throw new AppError(
      'INVALID_INPUT',
      `The flat document is schema version ${version}; this studio reads up to ${FLAT_SCHEMA_VERSION}. Update the studio to open it.`,
    );
  for (let v = version; v < FLAT_SCHEMA_VERSION; v++) {
    const step = FLAT_MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new AppError('INTERNAL', `No migration from flat schema version ${v}.`);
    doc = step.up(doc);
  }
  const parsed = FlatDocumentSchema.safeParse(doc);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The flat document is not valid: ${issuesText(parsed.error)}`);
  return parsed.data;
}
