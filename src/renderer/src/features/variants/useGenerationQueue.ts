import { useCallback, useEffect, useRef, useState } from 'react';
import { GarmentGenerateResult, type Job, type JobProgress } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';

/** The job kind the garment engine registers (src/main/services/garment: GARMENT_JOB). */
export const GENERATE_JOB_KIND = 'garment.generate';
const ACTIVE: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

export interface QueuedRender {
  job: Job;
  progress: JobProgress | null;
  /** When the technician pressed Generate (this session only), for the time to both images. */
  startedAt: number | null;
}

/**
 * The project's garment renders in flight and just finished, kept current by job events so the queue
 * moves step by step without polling. `onFinished` hears each job that succeeds, once.
 */
export function useGenerationQueue(projectId: string, onFinished: (job: Job, result: GarmentGenerateResult) => void) {
  const api = useStudioApi();
  const { client } = api;
  const [queue, setQueue] = useState<QueuedRender[]>([]);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  const seen = useRef(new Set<string>());

  useEffect(() => {
    let current = true;
    void client.jobs.list({ states: ['queued', 'running'], limit: 200 }).then((jobs) => {
      if (!current) return;
      const mine = jobs.filter((j) => j.kind === GENERATE_JOB_KIND && j.projectId === projectId).reverse();
      setQueue((q) => [...mine.filter((j) => !q.some((x) => x.job.id === j.id)).map((job) => ({ job, progress: job.progress, startedAt: null })), ...q]);
    });
    const offProgress = api.on('job.progress', (e) => {
      if (e.kind !== GENERATE_JOB_KIND) return;
      setQueue((q) => q.map((x) => (x.job.id === e.id ? { ...x, progress: e.progress } : x)));
    });
    const offState = api.on('job.state', (job) => {
      if (job.kind !== GENERATE_JOB_KIND || job.projectId !== projectId) return;
      setQueue((q) => {
        const known = q.some((x) => x.job.id === job.id);
        return known ? q.map((x) => (x.job.id === job.id ? { ...x, job } : x)) : [...q, { job, progress: job.progress, startedAt: null }];
      });
      if (job.state === 'succeeded' && !seen.current.has(job.id)) {
        seen.current.add(job.id);
        const parsed = GarmentGenerateResult.safeParse(job.result);
        if (parsed.success) finished.current(job, parsed.data);
      }
    });
    return () => {
      current = false;
      offProgress();
      offState();
    };
  }, [api, client, projectId]);

  /** Adds a job just queued by this window (its events may already have arrived). */
  const add = useCallback((job: Job, startedAt: number) => {
    setQueue((q) => (q.some((x) => x.job.id === job.id) ? q.map((x) => (x.job.id === job.id ? { ...x, startedAt } : x)) : [...q, { job, progress: null, startedAt }]));
  }, []);

  const cancel = useCallback((id: string) => client.jobs.cancel({ id }), [client]);
  const cancelAll = useCallback(
    () => Promise.all(queue.filter((x) => ACTIVE.has(x.job.state)).map((x) => client.jobs.cancel({ id: x.job.id }))),
    [client, queue],
  );
  /** Forgets finished entries, keeping those still queued or running. */
  const clearFinished = useCallback(() => setQueue((q) => q.filter((x) => ACTIVE.has(x.job.state))), []);

  return { queue, add, cancel, cancelAll, clearFinished, active: queue.filter((x) => ACTIVE.has(x.job.state)).length };
}

export const isActive = (job: Job): boolean => ACTIVE.has(job.state);
