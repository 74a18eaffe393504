import { useEffect, useState } from 'react';
import { useStudioApi } from '../../lib/api-context';

/** The flat's front view as a PNG data: URL, for laying over the renders; null until ready or without a flat. */
export function useFlatPicture(flatId: string | null): string | null {
  const { client } = useStudioApi();
  const [picture, setPicture] = useState<{ id: string; url: string } | null>(null);
  useEffect(() => {
    if (!flatId) return;
    let current = true;
    void (async () => {
      try {
        const { doc } = await client.flats.get({ id: flatId });
        const viewId = doc.views.some((v) => v.id === 'front') ? 'front' : doc.views[0]!.id;
        const { pngBase64 } = await client.flats.exportPng({ doc, viewId, dpi: 40 });
        if (current) setPicture({ id: flatId, url: `data:image/png;base64,${pngBase64}` });
      } catch {
        // The overlay is an aid: a flat that cannot be drawn leaves the toggle disabled.
        if (current) setPicture(null);
      }
    })();
    return () => {
      current = false;
    };
  }, [client, flatId]);
  return picture && picture.id === flatId ? picture.url : null;
}
