import { useCallback, useEffect, useRef, useState } from 'react';
import type { Job, JobProgress } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export type MotifJobState =
  | { status: 'idle' }
  | { status: 'running'; job: Job; progress: JobProgress | null }
  | { status: 'done'; job: Job }
  | { status: 'failed'; message: string };

const ENDED = new Set<Job['state']>(['succeeded', 'failed', 'cancelled', 'interrupted']);

/**
 * One motif job (an import or an indexing) followed through job events: progress while it runs, its
 * result or its error when it ends. `onDone` runs once when it succeeds.
 */
export function useMotifJob(start: () => Promise<Job>, onDone?: (job: Job) => void) {
  const api = useStudioApi();
  const [state, setState] = useState<MotifJobState>({ status: 'idle' });
  const jobId = useRef<string | null>(null);
  const done = useRef(onDone);
  done.current = onDone;

  const settle = useCallback((job: Job) => {
    if (job.id !== jobId.current || !ENDED.has(job.state)) return;
    jobId.current = null;
    if (job.state === 'succeeded') {
      setState({ status: 'done', job });
      done.current?.(job);
    } else setState({ status: 'failed', message: job.error?.message ?? job.state });
  }, []);

  useEffect(() => {
    const offProgress = api.on('job.progress', ({ id, progress }) => {
      if (id === jobId.current) setState((s) => (s.status === 'running' ? { ...s, progress } : s));
    });
    const offState = api.on('job.state', settle);
    return () => {
      offProgress();
      offState();
    };
  }, [api, settle]);

  const run = useCallback(async () => {
    try {
      const job = await start();
      jobId.current = job.id;
      setState({ status: 'running', job, progress: job.progress });
      // The job may have ended before its events could reach this page.
      settle(await api.client.jobs.get({ id: job.id }));
    } catch (err) {
      jobId.current = null;
      setState({ status: 'failed', message: errorMessage(err) });
    }
  }, [api, settle, start]);

  return { state, run };
}
