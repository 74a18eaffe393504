import { useState } from 'react';
import { errorMessage } from './errors';

/**
 * One user action at a time (save, install, export, download...): `busy` while it runs, so the
 * controls that start another can be disabled, and its failure as a message, cleared when the next
 * starts. `setError` lets the caller report a failure it found itself (a refused input, a failed load).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, run };
}
