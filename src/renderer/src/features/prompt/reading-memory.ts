import type { Reading } from './usePromptReading';

/** Projects whose last reading is held; the oldest is dropped past this (a reading is cheap to redo). */
const MAX_PROJECTS = 20;

/**
 * The last reading of each project's prompt, for the session. The project keeps its prompt between
 * visits (app/project-memory.ts); this keeps what the studio read in it, so coming back shows the
 * reading at once instead of "Reading…" while the same words are read again.
 */
const held = new Map<string, { text: string; reading: Reading }>();

const keyOf = (projectId: string | null) => projectId ?? '';

/** The reading last made of exactly this text in this project, or null. */
export function rememberedReading(projectId: string | null, text: string): Reading | null {
  const entry = held.get(keyOf(projectId));
  return entry && entry.text === text ? entry.reading : null;
}

/** Keeps a finished reading (never one still reading or failed) as the project's latest. */
export function rememberReading(projectId: string | null, text: string, reading: Reading): void {
  if (reading.status !== 'ready') return;
  const key = keyOf(projectId);
  held.delete(key);
  held.set(key, { text, reading });
  for (const old of held.keys()) {
    if (held.size <= MAX_PROJECTS) break;
    held.delete(old);
  }
}
