import { useCallback, useEffect, useRef, useState } from 'react';
import { ASSEMBLE_JOB_KIND, type AssembleResult, type Job, type JobProgress } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { assembleRecipeId, assembleResult, type RecipeItem } from './recipe-state';

/** A pack that finished assembling while this page watched, and what it offers next. */
export interface InstallOffer {
  jobId: string;
  result: AssembleResult;
}

export interface RecipesState {
  status: 'loading' | 'ready';
  recipes: RecipeItem[];
  /** A catalogue that cannot be read must not hide the rest of the page. */
  error: string | null;
  /** Every assembly job this page knows of, by id, kept current by job.state events. */
  jobs: Record<string, Job>;
  /** The latest job.progress of each running job, by id. */
  progress: Record<string, JobProgress>;
  /** Jobs the technician paused here: their downloads stay in the cache and Install resumes them. */
  paused: ReadonlySet<string>;
  offers: InstallOffer[];
}

const TERMINAL: ReadonlySet<Job['state']> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/**
 * The catalogue's recipes and their assembly jobs (recipes and the technician's own checkpoints).
 * `onInstalled` runs when a job ends, so the installed list shows the new pack.
 */
export function useRecipes(onInstalled: () => void) {
  const api = useStudioApi();
  const { client } = api;
  const [state, setState] = useState<RecipesState>({ status: 'loading', recipes: [], error: null, jobs: {}, progress: {}, paused: new Set(), offers: [] });
  const generation = useRef(0);
  const installed = useRef(onInstalled);
  installed.current = onInstalled;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    const [recipes, jobs] = await Promise.all([
      client.models.catalogueRecipes({}).then(
        (items): { items: RecipeItem[]; error: string | null } => ({ items, error: null }),
        (err: unknown) => ({ items: [], error: errorMessage(err) }),
      ),
      client.jobs.list({ limit: 200 }).catch(() => [] as Job[]),
    ]);
    if (mine !== generation.current) return;
    setState((s) => {
      const known = { ...s.jobs };
      for (const job of jobs) {
        if (job.kind !== ASSEMBLE_JOB_KIND) continue;
        // An event may already know more than this answer, which was asked for earlier.
        const seen = known[job.id];
        if (!seen || job.updatedAt > seen.updatedAt) known[job.id] = job;
      }
      return { ...s, status: 'ready', recipes: recipes.items, error: recipes.error, jobs: known };
    });
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const remember = useCallback((job: Job) => {
    setState((s) => {
      const seen = s.jobs[job.id];
      if (seen && seen.updatedAt > job.updatedAt) return s;
      const ended = TERMINAL.has(job.state) && (!seen || !TERMINAL.has(seen.state));
      const result = ended ? assembleResult(job) : null;
      const offers = result && !s.offers.some((o) => o.jobId === job.id) ? [...s.offers, { jobId: job.id, result }] : s.offers;
      return { ...s, jobs: { ...s.jobs, [job.id]: job }, offers };
    });
  }, []);

  useEffect(() => {
    const offState = api.on('job.state', (job) => {
      if (job.kind !== ASSEMBLE_JOB_KIND) return;
      remember(job);
      if (TERMINAL.has(job.state)) {
        void reload();
        installed.current();
      }
    });
    const offProgress = api.on('job.progress', ({ id, kind, progress }) => {
      if (kind !== ASSEMBLE_JOB_KIND) return;
      setState((s) => ({ ...s, progress: { ...s.progress, [id]: progress } }));
    });
    return () => {
      offState();
      offProgress();
    };
  }, [api, reload, remember]);

  /** Starts a job, then asks for it again: it may have ended before its events could reach this page. */
  const start = useCallback(
    async (call: () => Promise<Job>): Promise<Job> => {
      const job = await call();
      remember(job);
      try {
        remember(await client.jobs.get({ id: job.id }));
      } finally {
        void reload();
      }
      return job;
    },
    [client, remember, reload],
  );

  const markPaused = (jobId: string, on: boolean) =>
    setState((s) => {
      const paused = new Set(s.paused);
      if (on) paused.add(jobId);
      else paused.delete(jobId);
      return { ...s, paused };
    });

  return {
    state,
    reload,
    install: (id: string, acceptLicences: string[]) => start(() => client.models.installRecipe({ id, acceptLicences })),
    installCheckpoint: (path: string, name: string | undefined, acceptLicences: string[]) =>
      start(() => client.models.installCheckpoint({ path, acceptLicences, ...(name ? { name } : {}) })),
    /** Stops the job and keeps what it downloaded: the cache is verified, so Install again picks up from there. */
    pause: async (jobId: string) => {
      markPaused(jobId, true);
      try {
        remember(await client.models.pause({ jobId }));
      } catch (err) {
        markPaused(jobId, false);
        throw err;
      }
    },
    cancel: async (jobId: string) => remember(await client.jobs.cancel({ id: jobId })),
    dismissOffer: (jobId: string) => setState((s) => ({ ...s, offers: s.offers.filter((o) => o.jobId !== jobId) })),
  };
}

export type Recipes = ReturnType<typeof useRecipes>;

/** The newest assembly job of each recipe. */
export function latestJobByRecipe(jobs: Readonly<Record<string, Job>>): Record<string, Job> {
  const latest: Record<string, Job> = {};
  for (const job of Object.values(jobs)) {
    const id = assembleRecipeId(job);
    if (!id) continue;
    const known = latest[id];
    if (!known || job.createdAt > known.createdAt || (job.createdAt === known.createdAt && job.updatedAt > known.updatedAt)) latest[id] = job;
  }
  return latest;
}
