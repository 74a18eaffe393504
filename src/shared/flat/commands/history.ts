import { applyPatches, type Patch } from 'immer';
import { z } from 'zod';
import { AppError } from '../../contract/errors';
import type { FlatDocument } from '../schema';
import { applyCommand } from './apply';
import { FlatCommandSchema, type FlatCommand, type FlatCommandInput } from './schema';

const PatchSchema = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.array(z.union([z.string(), z.number()])),
  value: z.unknown().optional(),
});

/** One edit as stored: the command (for the history list) and the patches that redo and undo it. */
export const HistoryEntrySchema = z.object({
  command: FlatCommandSchema,
  patches: z.array(PatchSchema),
  inverse: z.array(PatchSchema),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** Plain JSON: store it beside the document and undo/redo survive a reload. */
export const FlatHistorySchema = z.object({
  version: z.literal(1),
  entries: z.array(HistoryEntrySchema),
  /** Entries before the cursor are done; from the cursor on they can be redone. */
  cursor: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});
export type FlatHistory = z.infer<typeof FlatHistorySchema>;

export interface FlatState {
  doc: FlatDocument;
  history: FlatHistory;
}

export const emptyHistory = (limit = 500): FlatHistory => ({ version: 1, entries: [], cursor: 0, limit });

export function startEditing(doc: FlatDocument, limit = 500): FlatState {
  return { doc, history: emptyHistory(limit) };
}

/** Runs a command, drops whatever could have been redone, and keeps at most `limit` entries. */
export function execute(state: FlatState, command: FlatCommand | FlatCommandInput): FlatState {
  const result = applyCommand(state.doc, command);
  const entry: HistoryEntry = {
    command: FlatCommandSchema.parse(command),
    patches: result.patches as HistoryEntry['patches'],
    inverse: result.inverse as HistoryEntry['inverse'],
  };
  const kept = [...state.history.entries.slice(0, state.history.cursor), entry];
  const entries = kept.slice(Math.max(0, kept.length - state.history.limit));
  return { doc: result.doc, history: { ...state.history, entries, cursor: entries.length } };
}

export const canUndo = (s: FlatState) => s.history.cursor > 0;
export const canRedo = (s: FlatState) => s.history.cursor < s.history.entries.length;

export function undo(state: FlatState): FlatState {
  if (!canUndo(state)) return state;
  const entry = state.history.entries[state.history.cursor - 1]!;
  return {
    doc: applyPatches(state.doc, entry.inverse as Patch[]),
    history: { ...state.history, cursor: state.history.cursor - 1 },
  };
}

export function redo(state: FlatState): FlatState {
  if (!canRedo(state)) return state;
  const entry = state.history.entries[state.history.cursor]!;
  return {
    doc: applyPatches(state.doc, entry.patches as Patch[]),
    history: { ...state.history, cursor: state.history.cursor + 1 },
  };
}

export const serializeHistory = (history: FlatHistory): string => JSON.stringify(history);

export function parseHistory(json: string): FlatHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new AppError('INVALID_INPUT', 'The stored edit history is not JSON.');
  }
  const parsed = FlatHistorySchema.safeParse(raw);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `The stored edit history is not valid: ${parsed.error.issues[0]?.message ?? ''}`);
  if (parsed.data.cursor > parsed.data.entries.length)
    throw new AppError('INVALID_INPUT', 'The stored edit history points past its last entry.');
  return parsed.data;
}
