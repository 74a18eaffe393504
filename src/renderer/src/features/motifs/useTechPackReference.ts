import { useCallback, useState } from 'react';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export type ReferenceState = { status: 'idle' } | { status: 'busy' } | { status: 'added' } | { status: 'already' } | { status: 'error'; message: string };

/**
 * Adds a motif to the project's tech-pack motif references. The tech pack has no channel for one
 * reference, so this reads the document, appends, and saves it whole (main validates it again).
 */
export function useTechPackReference(projectId: string | undefined) {
  const { client } = useStudioApi();
  const [state, setState] = useState<ReferenceState>({ status: 'idle' });

  const add = useCallback(
    async (motifId: string, placement = '') => {
      if (!projectId) return;
      setState({ status: 'busy' });
      try {
        const { document } = await client.techpack.get({ projectId });
        if (document.motifs.some((m) => m.motifId === motifId)) {
          setState({ status: 'already' });
          return;
        }
        await client.techpack.save({ projectId, document: { ...document, motifs: [...document.motifs, { motifId, placement }] } });
        setState({ status: 'added' });
      } catch (err) {
        setState({ status: 'error', message: errorMessage(err) });
      }
    },
    [client, projectId],
  );

  const reset = useCallback(() => setState({ status: 'idle' }), []);
  return { state, add, reset };
}
