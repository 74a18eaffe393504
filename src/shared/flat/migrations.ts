import { AppError } from '../contract/errors';
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
];

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
