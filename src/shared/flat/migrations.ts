import { AppError } from '../contract/errors';
import { migrateColour } from './colour';
import { FLAT_SCHEMA_VERSION, FlatDocumentSchema, type FlatDocument } from './schema';

type Json = Record<string, unknown>;

type JsonPath = readonly (string | number)[];

/**
 * How a step carries a stored undo history along with the document. Only a step that maps values
 * where they stand can: a history entry's patches are paths into the document with the values found
 * there, so mapping each value by its path gives the patches of the migrated document.
 */
export interface FlatHistoryMigration {
  /** The value at `path` (from the document's root) as the new version holds it. */
  value(path: JsonPath, value: unknown): unknown;
  /** An entry's command as the new version's command schema reads it. */
  command(command: Json): Json;
}

/** One step from `from` to `from + 1`; steps work on plain JSON so old files need no old types. */
export interface FlatMigration {
  from: number;
  describe: string;
  up(doc: Json): Json;
  /**
   * Left out where the step moves, merges or retypes things (v1's views, v2's tagged shapes): a patch
   * path into the old document may then name something else, or nothing, in the new one, so no undo
   * history stored before such a step can be trusted, and it is dropped rather than replayed wrongly.
   */
  history?: FlatHistoryMigration;
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
      return { ...(parsedColours([], doc) as Json), schemaVersion: 4 };
    },
    // Colours change in place and nothing moves, so stored undo patches and commands carry over.
    history: {
      value: parsedColours,
      command(command) {
        switch (command.type) {
          case 'item.add':
            return { ...command, item: parsedColours(ITEM_PATH, command.item) };
          case 'items.paste':
            return { ...command, items: parsedColours(ITEM_PATH.slice(0, -1), command.items) };
          case 'item.update':
            return { ...command, changes: parsedColours(ITEM_PATH, command.changes) };
          case 'stitch.along':
            return typeof command.colour === 'string' ? { ...command, colour: migrateColour(command.colour) } : command;
          default:
            return command;
        }
      },
    },
  },
];

/** Where an item sits in a document, for values that are items wherever they come from (a command's). */
const ITEM_PATH: JsonPath = ['views', 0, 'items', 0];

/**
 * Whether something at `path` is, or may hold, a colour in v3 and v4 documents: an item's style
 * stroke and fill, and its own colour (trims, callouts). The one definition of where colours are,
 * shared by the document and its undo patches, so undoing a migrated patch gives the migrated document.
 */
function colourPlace(path: JsonPath): 'colour' | 'inside' | 'none' {
  const [views, , items, , key, sub] = path;
  if ((path.length > 0 && views !== 'views') || (path.length > 2 && items !== 'items')) return 'none';
  if (path.length < 5) return 'inside';
  if (path.length === 5) return key === 'colour' ? 'colour' : key === 'style' ? 'inside' : 'none';
  return path.length === 6 && key === 'style' && (sub === 'stroke' || sub === 'fill') ? 'colour' : 'none';
}

/** `value`, found at `path` of a v3 document, with its colours parsed; the rest (segments, text) is shared, not copied. */
function parsedColours(path: JsonPath, value: unknown): unknown {
  const place = colourPlace(path);
  if (place === 'none') return value;
  if (place === 'colour') return typeof value === 'string' ? migrateColour(value) : value;
  if (Array.isArray(value)) return value.map((v, i) => parsedColours([...path, i], v));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parsedColours([...path, k], v)]));
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

/**
 * An undo history stored with a document of version `from`, carried up to the current version, or
 * null when a step on the way cannot carry one (see FlatMigration.history) or the version is newer
 * than this studio's. It comes back unvalidated: the caller parses it as any stored history.
 */
export function migrateFlatHistory(history: unknown, from: number): unknown {
  if (from === FLAT_SCHEMA_VERSION) return history;
  if (!Number.isInteger(from) || from < 1 || from > FLAT_SCHEMA_VERSION) return null;
  if (typeof history !== 'object' || history === null || !Array.isArray((history as Json).entries)) return null;
  let entries = (history as Json).entries as unknown[];
  for (let v = from; v < FLAT_SCHEMA_VERSION; v++) {
    const step = FLAT_MIGRATIONS.find((m) => m.from === v)?.history;
    if (!step) return null;
    entries = entries.map((entry) => migrateEntry(step, entry));
  }
  return { ...history, entries };
}

function migrateEntry(step: FlatHistoryMigration, entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  const e = entry as Json;
  const patches = (list: unknown) =>
    Array.isArray(list)
      ? list.map((p: unknown) => {
          if (typeof p !== 'object' || p === null) return p;
          const patch = p as Json;
          return Array.isArray(patch.path) && 'value' in patch ? { ...patch, value: step.value(patch.path as JsonPath, patch.value) } : patch;
        })
      : list;
  const command = typeof e.command === 'object' && e.command !== null ? step.command(e.command as Json) : e.command;
  return { ...e, command, patches: patches(e.patches), inverse: patches(e.inverse) };
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
