import { useCallback, useEffect, useRef, useState } from 'react';
import type { GenerationList } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export interface HistoryFilters {
  text: string;
  fabric: string;
  packId: string;
  favouritesOnly: boolean;
}

export const NO_FILTERS: HistoryFilters = { text: '', fabric: '', packId: '', favouritesOnly: false };
const EMPTY: GenerationList = { items: [], total: 0, fabrics: [], packs: [] };

/** The project's history as main answers it for the filters; typing waits a moment before asking. */
export function useHistory(projectId: string, filters: HistoryFilters, round: number) {
  const { client } = useStudioApi();
  const [list, setList] = useState<GenerationList>(EMPTY);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const asked = useRef(0);

  useEffect(() => {
    const mine = ++asked.current;
    const timer = setTimeout(async () => {
      try {
        const answer = await client.generations.list({
          projectId,
          ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
          ...(filters.fabric ? { fabric: filters.fabric } : {}),
          ...(filters.packId ? { packId: filters.packId } : {}),
          ...(filters.favouritesOnly ? { favouritesOnly: true } : {}),
          limit: 200,
        });
        if (mine !== asked.current) return;
        setList(answer);
        setStatus('ready');
        setError(null);
      } catch (err) {
        if (mine !== asked.current) return;
        setStatus('error');
        setError(errorMessage(err));
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [client, projectId, filters.text, filters.fabric, filters.packId, filters.favouritesOnly, round, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { list, status, error, reload };
}
