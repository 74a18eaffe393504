import { useEffect, type RefObject } from 'react';
import type { FlatDocument } from '../../../../../shared/flat';
import { docDigest } from './drawing';

/**
 * Publishes the document's content fingerprint (for tests and support) on the panel, computed when the
 * editor is idle, so an edit of a 2,000-object flat does not wait for it. `historyMark` says which state
 * the fingerprint is of, so a reader can wait for it to catch up.
 */
export function useDocDigest(panel: RefObject<HTMLElement | null>, doc: FlatDocument | null, historyMark: string): void {
  useEffect(() => {
    if (!doc) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 50));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(() => {
      panel.current?.setAttribute('data-doc-digest', docDigest(doc));
      panel.current?.setAttribute('data-digest-of', historyMark);
    });
    return () => cancel(handle);
  }, [panel, doc, historyMark]);
}
