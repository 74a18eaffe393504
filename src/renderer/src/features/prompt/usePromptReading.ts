import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { ConflictSchema, FlatAttributesInputSchema, PromptExtractionSchema, Swatch, SwatchLinkSchema } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export type Extraction = z.output<typeof PromptExtractionSchema>;
export type Conflict = z.output<typeof ConflictSchema>;
export type FlatAttributes = z.input<typeof FlatAttributesInputSchema>;

export interface Reading {
  status: 'idle' | 'reading' | 'ready' | 'error';
  extraction: Extraction | null;
  link: z.output<typeof SwatchLinkSchema> | null;
  swatch: Swatch | null;
  conflicts: Conflict[] | null;
  error: string | null;
}

const IDLE: Reading = { status: 'idle', extraction: null, link: null, swatch: null, conflicts: null, error: null };

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
function rememberedReading(projectId: string | null, text: string): Reading | null {
  const entry = held.get(keyOf(projectId));
  return entry && entry.text === text ? entry.reading : null;
}

/** Keeps a finished reading (never one still reading or failed) as the project's latest. */
function rememberReading(projectId: string | null, text: string, reading: Reading): void {
  if (reading.status !== 'ready') return;
  const key = keyOf(projectId);
  held.delete(key);
  held.set(key, { text, reading });
  for (const old of held.keys()) {
    if (held.size <= MAX_PROJECTS) break;
    held.delete(old);
  }
}

/** Reads the prompt through main (prompt.extract, prompt.conflicts) a moment after typing stops. */
export function usePromptReading(text: string, projectId: string | null, flat: FlatAttributes | undefined): Reading {
  const { client } = useStudioApi();
  // Coming back to a project, its prompt's last reading shows at once.
  const [reading, setReading] = useState<Reading>(() => (text.trim() === '' ? null : rememberedReading(projectId, text)) ?? IDLE);
  const flatKey = flat ? JSON.stringify(flat) : '';

  useEffect(() => {
    if (text.trim() === '') {
      setReading(IDLE);
      return;
    }
    let current = true;
    // Words already read (coming back, another flat opened) keep their reading on show while it is
    // refreshed quietly; only new words say "Reading…".
    const known = rememberedReading(projectId, text);
    setReading((r) => known ?? { ...r, status: 'reading' });
    const timer = setTimeout(async () => {
      try {
        const { extraction, swatch: link } = await client.prompt.extract({ text, ...(projectId ? { projectId } : {}) });
        const swatch = link ? await client.swatches.get({ id: link.swatchId }) : null;
        const conflicts = flatKey ? await client.prompt.conflicts({ text, flat: JSON.parse(flatKey) as FlatAttributes }) : null;
        const next: Reading = { status: 'ready', extraction, link, swatch, conflicts, error: null };
        rememberReading(projectId, text, next);
        if (current) setReading(next);
      } catch (err) {
        if (current) setReading({ ...IDLE, status: 'error', error: errorMessage(err) });
      }
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, text, projectId, flatKey]);

  return reading;
}
