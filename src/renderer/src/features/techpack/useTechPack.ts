import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreflightReport, SheetLanguage, TechPackDocument, TechPackOutline } from '../../../../shared/techpack';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage, toAppError } from '../../lib/errors';

export type Load<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: string };

export interface Preview {
  /** The sheet as last drawn; kept while the form holds something that cannot be drawn. */
  src: string | null;
  sheets: number;
  preflight: PreflightReport;
  outline: TechPackOutline | null;
  /** The draft as typed is invalid: preflight names why, and the picture is the last one that could be drawn. */
  stale: boolean;
}

/** Quiet time after the last keystroke before the draft is sent: a preview takes a layout and a rasterisation. */
export const PREVIEW_DEBOUNCE_MS = 300;

/**
 * The project's tech-pack document and a live preview of one sheet with its preflight, computed
 * from `draft` (the form as typed, unsaved) a moment after it stops changing.
 */
export function useTechPack(projectId: string, draft: TechPackDocument | null, language?: SheetLanguage) {
  const { client } = useStudioApi();
  const [doc, setDoc] = useState<Load<TechPackDocument>>({ status: 'loading' });
  const [preview, setPreview] = useState<Load<Preview>>({ status: 'loading' });
  const [updating, setUpdating] = useState(false);
  const [sheet, setSheet] = useState(0);
  const ticket = useRef(0);

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
    if (!draft) return;
    const mine = ++ticket.current;
    setUpdating(true);
    const timer = setTimeout(() => {
      client.techpack.preview({ projectId, sheet, dpi: 60, document: draft, language }).then(
        (p) => {
          // An older preview finishing late must not replace a newer one.
          if (mine !== ticket.current) return;
          setUpdating(false);
          setPreview((before) => {
            const last = before.status === 'ready' ? before.value : null;
            if (p.pngBase64 === null)
              return { status: 'ready', value: { src: last?.src ?? null, sheets: last?.sheets ?? 0, preflight: p.preflight, outline: last?.outline ?? null, stale: true } };
            return { status: 'ready', value: { src: `data:image/png;base64,${p.pngBase64}`, sheets: p.sheets, preflight: p.preflight, outline: p.outline, stale: false } };
          });
        },
        (err: unknown) => {
          if (mine !== ticket.current) return;
          setUpdating(false);
          // The draft has fewer sheets than the one shown: go back to the first.
          if (sheet > 0 && toAppError(err).code === 'NOT_FOUND') setSheet(0);
          else setPreview({ status: 'error', error: errorMessage(err) });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [client, projectId, draft, sheet, language]);

  const save = useCallback(
    async (document: TechPackDocument) => {
      const r = await client.techpack.save({ projectId, document });
      setDoc({ status: 'ready', value: r.document });
    },
    [client, projectId],
  );

  return { doc, preview, updating, sheet, setSheet, save };
}
