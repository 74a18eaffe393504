import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreflightReport, TechPackDocument } from '../../../../shared/techpack';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export type Load<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: string };

export interface Preview {
  src: string;
  sheets: number;
  preflight: PreflightReport;
}

/** The project's tech-pack document, its preflight and a live preview of one sheet. */
export function useTechPack(projectId: string) {
  const { client } = useStudioApi();
  const [doc, setDoc] = useState<Load<TechPackDocument>>({ status: 'loading' });
  const [preview, setPreview] = useState<Load<Preview>>({ status: 'loading' });
  const [sheet, setSheet] = useState(0);
  const ticket = useRef(0);

  const refreshPreview = useCallback(
    async (index: number) => {
      const mine = ++ticket.current;
      setPreview({ status: 'loading' });
      try {
        const p = await client.techpack.preview({ projectId, sheet: index, dpi: 60 });
        // An older preview finishing late must not replace a newer one.
        if (mine === ticket.current) setPreview({ status: 'ready', value: { src: `data:image/png;base64,${p.pngBase64}`, sheets: p.sheets, preflight: p.preflight } });
      } catch (err) {
        if (mine === ticket.current) setPreview({ status: 'error', error: errorMessage(err) });
      }
    },
    [client, projectId],
  );

  useEffect(() => {
    let live = true;
    client.techpack.get({ projectId }).then(
      (r) => live && setDoc({ status: 'ready', value: r.document }),
      (err: unknown) => live && setDoc({ status: 'error', error: errorMessage(err) }),
    );
    return () => {
      live = false;
    };
  }, [client, projectId]);

  useEffect(() => {
    void refreshPreview(sheet);
  }, [refreshPreview, sheet]);

  const save = useCallback(
    async (document: TechPackDocument) => {
      const r = await client.techpack.save({ projectId, document });
      setDoc({ status: 'ready', value: r.document });
      await refreshPreview(sheet);
    },
    [client, projectId, refreshPreview, sheet],
  );

  return { doc, preview, sheet, setSheet, save, refreshPreview: () => refreshPreview(sheet) };
}
