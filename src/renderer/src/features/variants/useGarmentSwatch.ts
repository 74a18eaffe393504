import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Swatch } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import type { Reading } from '../prompt';
import { FROM_PROMPT, NO_SWATCH, swatchRequest, type SwatchRequest } from './garment-swatch';

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

/** The garment's swatch for Generate: the prompt's pick until the technician picks another, per project. */
export function useGarmentSwatch(projectId: string, reading: Reading): GarmentSwatch {
  const { client } = useStudioApi();
  const [state, setState] = useState<{ projectId: string; choice: string; swatch: Swatch | null }>({ projectId, choice: FROM_PROMPT, swatch: null });
  // Another project starts from its prompt again.
  const own = state.projectId === projectId ? state : { projectId, choice: FROM_PROMPT, swatch: null };

  const choose = useCallback((choice: string, swatch: Swatch | null) => setState({ projectId, choice, swatch }), [projectId]);
  const reuse = useCallback((used: { id: string } | null) => setState({ projectId, choice: used ? used.id : NO_SWATCH, swatch: null }), [projectId]);

  // A choice known by id only (a reused render's): its category and name are read once.
  const missing = own.choice !== FROM_PROMPT && own.choice !== NO_SWATCH && own.swatch?.id !== own.choice ? own.choice : null;
  useEffect(() => {
    if (!missing) return;
    let live = true;
    client.swatches.get({ id: missing }).then(
      (swatch) => live && setState((s) => (s.choice === missing ? { ...s, swatch } : s)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, missing]);

  const fabric = reading.extraction?.fabric ?? null;
  const linked = reading.link?.swatchId ?? null;
  const request = useMemo(() => swatchRequest(own.choice, { fabric, linkedSwatchId: linked }, own.swatch), [own.choice, own.swatch, fabric, linked]);
  const fromPrompt = own.choice === FROM_PROMPT;
  const swatch = fromPrompt ? reading.swatch : own.choice === NO_SWATCH ? null : own.swatch?.id === own.choice ? own.swatch : null;
  return { choice: own.choice, choose, swatch, fromPrompt, request, reuse };
}
