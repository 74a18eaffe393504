import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Swatch } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { toAppError } from '../../lib/errors';
import type { Reading } from '../prompt';
import { FROM_PROMPT, NO_SWATCH, swatchRequest, type SwatchRequest } from './garment-swatch';
import { useGarmentSwatchMemory } from './garment-swatch-memory';

export interface GarmentSwatch {
  /** FROM_PROMPT, NO_SWATCH or a swatch id. */
  choice: string;
  choose(choice: string, swatch: Swatch | null): void;
  /** The swatch the next render uses, if any, and whether the prompt picked it. */
  swatch: Swatch | null;
  fromPrompt: boolean;
  request: SwatchRequest;
  /** "Reuse these settings": the swatch a past render used (or none, if it used none). */
  reuse(swatch: { id: string } | null): void;
}

/**
 * The garment's swatch for Generate: the prompt's pick until the technician picks another, per
 * project. The choice belongs to the project's memory, so it comes back after a visit elsewhere and a
 * reload, as the prompt does.
 */
export function useGarmentSwatch(projectId: string, reading: Reading): GarmentSwatch {
  const { client } = useStudioApi();
  const memory = useGarmentSwatchMemory();
  const keptChoice = (id: string) => memory?.kept(id) ?? FROM_PROMPT;
  const [state, setState] = useState<{ projectId: string; choice: string; swatch: Swatch | null }>(() => ({ projectId, choice: keptChoice(projectId), swatch: null }));
  // Another project starts from what it kept (its prompt's pick, unless it was given another).
  const own = state.projectId === projectId ? state : { projectId, choice: keptChoice(projectId), swatch: null };

  const set = useCallback(
    (choice: string, swatch: Swatch | null) => {
      setState({ projectId, choice, swatch });
      memory?.remember(projectId, choice);
    },
    [memory, projectId],
  );
  const choose = useCallback((choice: string, swatch: Swatch | null) => set(choice, swatch), [set]);
  const reuse = useCallback((used: { id: string } | null) => set(used ? used.id : NO_SWATCH, null), [set]);

  // A choice known by id only (a reused render's): its category and name are read once.
  const missing = own.choice !== FROM_PROMPT && own.choice !== NO_SWATCH && own.swatch?.id !== own.choice ? own.choice : null;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    client.swatches.get({ id: missing }).then(
      (swatch) => live && setState((s) => (s.choice === missing ? { ...s, swatch } : s)),
      (err: unknown) => {
        // A kept swatch since deleted: the garment goes back to the prompt's pick rather than a
        // render that would fail on a swatch that is gone.
        if (live && toAppError(err).code === 'NOT_FOUND' && own.choice === missing) set(FROM_PROMPT, null);
      },
    );
    return () => {
      live = false;
    };
  }, [client, missing, own.choice, set]);

  const fabric = reading.extraction?.fabric ?? null;
  const linked = reading.link?.swatchId ?? null;
  const request = useMemo(() => swatchRequest(own.choice, { fabric, linkedSwatchId: linked }, own.swatch), [own.choice, own.swatch, fabric, linked]);
  const fromPrompt = own.choice === FROM_PROMPT;
  const swatch = fromPrompt ? reading.swatch : own.choice === NO_SWATCH ? null : own.swatch?.id === own.choice ? own.swatch : null;
  return { choice: own.choice, choose, swatch, fromPrompt, request, reuse };
}
