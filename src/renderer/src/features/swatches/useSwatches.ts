import { useCallback, useEffect, useRef, useState } from 'react';
import type { Swatch, SwatchImport, SwatchQuery } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

type State = { status: 'loading' } | { status: 'ready'; swatches: Swatch[] } | { status: 'error'; error: string };

/** The swatch library as the panel sees it: the current search, reloaded after every change. */
export function useSwatches(query: SwatchQuery) {
  const { client } = useStudioApi();
  const [state, setState] = useState<State>({ status: 'loading' });
  const latest = useRef(0);
  const key = JSON.stringify(query);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const swatches = await client.swatches.list(JSON.parse(key) as SwatchQuery);
      // A slower, older search must not overwrite the answer to a newer one.
      if (ticket === latest.current) setState({ status: 'ready', swatches });
    } catch (err) {
      if (ticket === latest.current) setState({ status: 'error', error: errorMessage(err) });
    }
  }, [client, key]);

  useEffect(() => {
    const timer = setTimeout(() => void reload(), 200);
    return () => clearTimeout(timer);
  }, [reload]);

  const after =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      await reload();
      return result;
    };

  return {
    state,
    reload,
    importPhoto: after((request: SwatchImport) => client.swatches.import(request)),
    remove: after((id: string) => client.swatches.delete({ id })),
    addToProject: after((id: string, projectId: string) => client.swatches.addToProject({ id, projectId })),
    removeFromProject: after((id: string, projectId: string) => client.swatches.removeFromProject({ id, projectId })),
  };
}
