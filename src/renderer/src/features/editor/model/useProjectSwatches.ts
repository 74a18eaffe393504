import { useEffect, useMemo, useState } from 'react';
import type { FlatDocument } from '../../../../../shared/flat';
import { useStudioApi } from '../../../lib/api-context';

export interface SwatchChoice {
  id: string;
  name: string;
  hex: string;
}

/** For a swatch whose photo gave no dominant colour: a plain cloth colour, so it reads as fabric, not as a fault. */
const NO_COLOUR = '#d9c7a3';

/**
 * The project's swatches for the eyedropper and the panels' colours, read again whenever `reread`
 * changes (the eyedropper is taken up) and whenever the document fills a panel with a swatch not yet
 * read (one picked in the properties panel just after its import), so it shows in its own colour.
 */
export function useProjectSwatches(projectId: string, reread: unknown, doc: FlatDocument | null = null) {
  const { client } = useStudioApi();
  const [swatches, setSwatches] = useState<SwatchChoice[]>([]);
  const colours = useMemo(() => new Map(swatches.map((s) => [s.id, s.hex])), [swatches]);
  const unread = useMemo(() => [...usedSwatches(doc)].filter((id) => !colours.has(id)).sort().join(' '), [doc, colours]);
  useEffect(() => {
    client.swatches.list({ projectId }).then(
      (list) => setSwatches(list.map((s) => ({ id: s.id, name: s.name, hex: s.dominantColours[0]?.hex ?? NO_COLOUR }))),
      () => setSwatches([]),
    );
    // A swatch that stays unread (deleted, or of another project) leaves `unread` as it was: no loop.
  }, [client, projectId, reread, unread]);
  return { swatches, colours };
}

/** The swatches the document's panels are filled with. */
function usedSwatches(doc: FlatDocument | null): Set<string> {
  const ids = new Set<string>();
  for (const view of doc?.views ?? []) for (const item of view.items) if (item.type === 'shape' && item.fabric) ids.add(item.fabric.swatchId);
  return ids;
}
