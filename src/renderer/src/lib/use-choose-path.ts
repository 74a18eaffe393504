import { useState } from 'react';
import type { PathKind } from '../../../shared/contract';
import { useStudioApi } from './api-context';
import { errorMessage } from './errors';

/**
 * A path from main's own file dialog (main reads and writes only where the technician chose there, or
 * inside a folder the studio was started with): `choose(kind)` hands a chosen path to `onChosen`,
 * nothing when the dialog is closed; a dialog that fails leaves its message in `chooseError`.
 */
export function useChoosePath(onChosen: (path: string) => void) {
  const { client } = useStudioApi();
  const [chooseError, setChooseError] = useState<string | null>(null);

  async function choose(kind: PathKind) {
    setChooseError(null);
    try {
      const chosen = await client.system.choosePath({ kind });
      if (chosen.path !== null) onChosen(chosen.path);
    } catch (err) {
      setChooseError(errorMessage(err));
    }
  }

  return { choose, chooseError };
}
