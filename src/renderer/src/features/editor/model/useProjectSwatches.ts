import { useEffect, useMemo, useState } from 'react';
import { useStudioApi } from '../../../lib/api-context';

export interface SwatchChoice {
  id: string;
  name: string;
  hex: string;
}

/** For a swatch whose photo gave no dominant colour: a plain cloth colour, so it reads as fabric, not as a fault. */
const NO_COLOUR = '#d9c7a3';

/**
 * The project's swatches for the eyedropper, read again whenever `reread` changes (the eyedropper is
 * taken up), so that a swatch imported meanwhile can be picked.
 */
export function useProjectSwatches(projectId: string, reread: unknown) {
  const { client } = useStudioApi();
  const [swatches, setSwatches] = useState<SwatchChoice[]>([]);
  useEffect(() => {
    client.swatches.list({ projectId }).then(
      (list) => setSwatches(list.map((s) => ({ id: s.id, name: s.name, hex: s.dominantColours[0]?.hex ?? NO_COLOUR }))),
      () => setSwatches([]),
    );
  }, [client, projectId, reread]);
  const colours = useMemo(() => new Map(swatches.map((s) => [s.id, s.hex])), [swatches]);
  return { swatches, colours };
}
