import { useCallback, useRef, useState } from 'react';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { searchMotifs, type MotifQuery, type MotifResults, type SearchMode } from './search-source';

export type MotifSearchState =
  | { status: 'idle' }
  | { status: 'searching'; label: string }
  | { status: 'ready'; results: MotifResults }
  | { status: 'error'; error: string };

/** The panel's current search; a slower, older answer never replaces a newer one. */
export function useMotifSearch() {
  const { client } = useStudioApi();
  const [state, setState] = useState<MotifSearchState>({ status: 'idle' });
  const latest = useRef(0);

  const search = useCallback(
    async (query: MotifQuery, mode: SearchMode) => {
      const ticket = ++latest.current;
      const label = 'text' in query ? query.text.trim() : query.label;
      if (!label && 'text' in query) {
        setState({ status: 'idle' });
        return;
      }
      setState({ status: 'searching', label });
      try {
        const results = await searchMotifs(client, query, mode);
        if (ticket === latest.current) setState({ status: 'ready', results });
      } catch (err) {
        if (ticket === latest.current) setState({ status: 'error', error: errorMessage(err) });
      }
    },
    [client],
  );

  return { state, search };
}
