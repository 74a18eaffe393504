import { issue, type PreflightIssue, type PreflightTarget } from './preflight';
import { TechPackDocumentSchema, type TechPackDocument } from './schema';

export type DraftReading = { ok: true; document: TechPackDocument } | { ok: false; issues: PreflightIssue[] };

const idAt = (list: unknown, index: PropertyKey | undefined, key = 'id'): string | null => {
  const item: unknown = Array.isArray(list) && typeof index === 'number' ? list[index] : undefined;
  const id = item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
  return typeof id === 'string' && id ? id : null;
};
const keyAt = (key: PropertyKey | undefined): string | null => (typeof key === 'string' ? key : null);
const field = (doc: Record<string, unknown>, key: string): Record<string, unknown> => {
  const v = doc[key];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
};

/** The form item a schema problem at `path` belongs to, named the way the sheets name it. */
function targetOf(input: unknown, path: readonly PropertyKey[]): PreflightTarget {
  const doc = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const [head, a, b] = path;
  switch (head) {
    case 'cover':
      return { section: 'cover', itemId: keyAt(a) };
    case 'colorways':
      return { section: 'colorways', itemId: idAt(doc.colorways, a) };
    case 'bom':
      if (a === 'rows') return { section: 'bom', itemId: idAt(field(doc, 'bom').rows, b) };
      return { section: 'bom', itemId: a === 'overrides' ? keyAt(b) : null };
    case 'pom':
      if (a === 'rows') return { section: 'pom', itemId: idAt(field(doc, 'pom').rows, b) };
      return { section: 'pom', itemId: a === 'descriptions' ? null : 'grading' };
    case 'constructionNotes':
      return { section: 'construction', itemId: idAt(doc.constructionNotes, a) };
    case 'motifs':
      return { section: 'motifs', itemId: idAt(doc.motifs, a, 'motifId') };
    case 'motifCaptions':
      return { section: 'motifs', itemId: keyAt(a) };
    case 'revisionNote':
      return { section: 'revisions', itemId: null };
    case 'flatIds':
      return { section: 'flats', itemId: null };
    default:
      // The paper and anything else at the top of the document sit with the cover.
      return { section: 'cover', itemId: null };
  }
}

/**
 * Reads a document as the form holds it while it is typed, before it is saved: a valid one is the
 * document, an invalid one is one DOCUMENT_INVALID error per problem, each pointing at the field,
 * so the live preflight can say "1,5 is not a decimal" beside the row instead of refusing to look.
 */
export function readDraft(input: unknown): DraftReading {
  const parsed = TechPackDocumentSchema.safeParse(input);
  if (parsed.success) return { ok: true, document: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const t = targetOf(input, i.path);
      const where = i.path.length ? `${i.path.map(String).join('.')}: ` : '';
      return issue('error', 'DOCUMENT_INVALID', `${where}${i.message}`, t.section, t.itemId, { path: i.path.map(String).join('.'), reason: i.message });
    }),
  };
}
