import { FIELD_VALUES, STRUCTURED_FIELDS, type Overrides } from './sync';

/**
 * Corrections read back from storage: only fields the prompt has and values of the lexicon survive,
 * since a name the lexicon no longer knows (an older build, a hand-edited file) has no label to show.
 */
export function readOverrides(raw: unknown): Overrides {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Overrides = {};
  for (const field of STRUCTURED_FIELDS) {
    const o = (raw as Record<string, unknown>)[field];
    if (typeof o !== 'object' || o === null) continue;
    const known = (v: unknown): v is string | null => v === null || (typeof v === 'string' && (FIELD_VALUES[field] as readonly string[]).includes(v));
    const { from, to } = o as { from?: unknown; to?: unknown };
    if (known(from) && known(to)) out[field] = { from, to };
  }
  return out;
}
