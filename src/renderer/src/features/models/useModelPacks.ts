import { useCallback, useEffect, useRef, useState } from 'react';
import { DOWNLOAD_JOB_KIND, type CatalogueItem, type InstalledPack, type Job } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { downloadPackId } from './catalogue-state';
import { addSample, type ByteSample } from './download-meter';

/** A download's live figures, from job.progress events: step is bytes on disk, total the pack's bytes. */
export interface LiveProgress {
  bytes: number;
  totalBytes: number | null;
  samples: ByteSample[];
}

export interface ModelPacksState {
  status: 'loading' | 'ready' | 'error';
  packs: InstalledPack[];
  catalogue: CatalogueItem[];
  /** The newest download job of each pack, kept current by job.state events. */
  jobs: Record<string, Job>;
  /** Keyed by job id. */
  progress: Record<string, LiveProgress>;
  error: string | null;
  /** A catalogue that cannot be read (malformed JSON, say) must not hide the installed packs. */
  catalogueError: string | null;
}

const TERMINAL: ReadonlySet<Job['state']> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/**
 * The installed packs, the catalogue and the download jobs as main holds them. Every change goes
 * through the contract and is followed by a fresh list; job events move the progress in between.
 */
export function useModelPacks() {
  const api = useStudioApi();
  const { client } = api;
  const [state, setState] = useState<ModelPacksState>({ status: 'loading', packs: [], catalogue: [], jobs: {}, progress: {}, error: null, catalogueError: null });
  // Answers can arrive out of order; only the latest reload may set the lists.
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, status: s.status === 'error' ? 'loading' : s.status }));
    try {
      const catalogueAnswer = client.models.catalogue({}).then(
        (items) => ({ items, error: null }),
        (err: unknown) => ({ items: [], error: errorMessage(err) }),
      );
      const [packs, jobs, { items: catalogue, error: catalogueError }] = await Promise.all([
        client.models.list({}),
        client.models.jobs({ limit: 100 }),
        catalogueAnswer,
      ]);
      if (mine !== generation.current) return;
      setState((s) => {
        const latest: Record<string, Job> = {};
        // Newest first: the first job seen for a pack is its latest.
        for (const job of jobs) {
          const id = downloadPackId(job);
          if (id && !latest[id]) latest[id] = job;
        }
        // An event may already know more than this answer, which was asked for earlier.
        for (const [id, job] of Object.entries(s.jobs)) {
          const known = latest[id];
          if (!known || (known.id === job.id && job.updatedAt > known.updatedAt)) latest[id] = job;
        }
        return { ...s, status: 'ready', packs, catalogue, jobs: latest, error: null, catalogueError };
      });
    } catch (err) {
      if (mine === generation.current) setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }));
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    const offState = api.on('job.state', (job) => {
      if (job.kind !== DOWNLOAD_JOB_KIND) return;
      const id = downloadPackId(job);
      if (!id) return;
      setState((s) => withJob(s, id, job));
      if (TERMINAL.has(job.state)) void reload();
    });
    const offProgress = api.on('job.progress', ({ id, kind, progress }) => {
      if (kind !== DOWNLOAD_JOB_KIND || progress.step === undefined) return;
      const bytes = progress.step;
      setState((s) => {
        const before = s.progress[id];
        const live: LiveProgress = {
          bytes,
          totalBytes: progress.total ?? before?.totalBytes ?? null,
          samples: addSample(before?.samples ?? [], { bytes, at: performance.now() }),
        };
        return { ...s, progress: { ...s.progress, [id]: live } };
      });
    });
    return () => {
      offState();
      offProgress();
    };
  }, [api, reload]);

  /** Runs a call, then reloads whatever happened; the caller shows the error. */
  const act = useCallback(
    async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } finally {
        void reload();
      }
    },
    [reload],
  );

  const rememberJob = useCallback((job: Job) => {
    const id = downloadPackId(job);
    if (id) setState((s) => withJob(s, id, job));
  }, []);

  return {
    state,
    reload,
    verify: (id: string) => act(() => client.models.verify({ id })),
    remove: (id: string) => act(() => client.models.remove({ id })),
    setDefault: (id: string) => act(() => client.models.setDefault({ id })),
    installFromPath: (path: string) => act(() => client.models.installFromPath({ path })),
    download: (id: string) => act(async () => rememberJob(await client.models.download({ id }))),
    pause: (jobId: string) => act(async () => rememberJob(await client.models.pause({ jobId }))),
    cancel: (jobId: string) => act(async () => rememberJob(await client.jobs.cancel({ id: jobId }))),
  };
}

export type ModelPacks = ReturnType<typeof useModelPacks>;

/** A call's answer can be older than an event already received about the same job; it never rolls that back. */
function withJob(s: ModelPacksState, packId: string, job: Job): ModelPacksState {
  const known = s.jobs[packId];
  if (known && known.id === job.id && known.updatedAt > job.updatedAt) return s;
  return { ...s, jobs: { ...s.jobs, [packId]: job } };
}
