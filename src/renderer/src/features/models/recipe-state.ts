import {
  ASSEMBLE_JOB_KIND,
  AssembleParamsSchema,
  AssembleResultSchema,
  type AssembleParams,
  type AssembleResult,
  type CatalogueRecipe,
  type CatalogueRecipeItem,
  type Job,
  type SourceLicence,
} from '../../../../shared/contract';

/** A catalogue recipe as models.catalogueRecipes answers it: the catalogue's entry and its state in this library. */
export type RecipeItem = CatalogueRecipeItem;

/** What a recipe row offers, from the catalogue's answer and the newest assembly job of that recipe. */
export type RecipeRowState =
  | { kind: 'installing'; jobId: string; queued: boolean }
  | { kind: 'installed'; packId: string }
  | { kind: 'failed'; message: string }
  | { kind: 'paused'; jobId: string; interrupted: boolean }
  | { kind: 'available' };

const LIVE: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

/**
 * Job events arrive between catalogue reloads, so a live job wins; the catalogue's active job wins
 * over an older one the page knows of. A job this page paused, or one an app shutdown interrupted,
 * left its verified downloads in the library's cache, so Install again resumes it.
 */
export function recipeRowState(item: RecipeItem, job: Job | null, paused: ReadonlySet<string>): RecipeRowState {
  if (job && LIVE.has(job.state)) return { kind: 'installing', jobId: job.id, queued: job.state === 'queued' };
  if (item.activeJobId && item.activeJobId !== job?.id) return { kind: 'installing', jobId: item.activeJobId, queued: false };
  if (item.installedPackId) return { kind: 'installed', packId: item.installedPackId };
  if (job?.state === 'failed') return { kind: 'failed', message: job.error?.message ?? '' };
  if (job?.state === 'interrupted') return { kind: 'paused', jobId: job.id, interrupted: true };
  if (job?.state === 'cancelled' && paused.has(job.id)) return { kind: 'paused', jobId: job.id, interrupted: false };
  return { kind: 'available' };
}

/**
 * The recipe whose IP-Adapter, image encoder and ControlNet a technician's own checkpoint is
 * assembled with (OWN_CHECKPOINT_RECIPE of services/models/manager.ts): its licences, less the
 * checkpoint's, are the ones that install asks for.
 */
export const OWN_CHECKPOINT_RECIPE = 'sd15-garment';

/**
 * The licences the technician must accept before a recipe downloads anything (OpenRAIL's use
 * restrictions), each once though several files carry it. `skipRoles` leaves out files that will not
 * be downloaded (the catalogue's checkpoint, when the technician brings their own).
 */
export function licencesToAccept(recipe: Pick<CatalogueRecipe, 'files'>, skipRoles: readonly string[] = []): SourceLicence[] {
  const found = new Map<string, SourceLicence>();
  for (const file of recipe.files) {
    if (skipRoles.includes(file.role) || !file.licence.mustAccept || found.has(file.licence.id)) continue;
    found.set(file.licence.id, file.licence);
  }
  return [...found.values()];
}

/** An assembly job's params, or null for a job that is not one (or one this renderer cannot read). */
function assembleParams(job: Pick<Job, 'kind' | 'params'> | null): AssembleParams | null {
  if (job?.kind !== ASSEMBLE_JOB_KIND) return null;
  const params = AssembleParamsSchema.safeParse(job.params);
  return params.success ? params.data : null;
}

/** The recipe an assembly job installs; null for a technician's own checkpoint (assembled with sd15-garment's files) or another job. */
export function assembleRecipeId(job: Pick<Job, 'kind' | 'params'>): string | null {
  const params = assembleParams(job);
  return params && !params.own ? params.recipeId : null;
}

/** Whether an assembly job installs a technician's own checkpoint. */
export function isCheckpointJob(job: Pick<Job, 'kind' | 'params'>): boolean {
  return assembleParams(job)?.own !== undefined;
}

/** Licences a job was started with, so a resume does not ask again for what was already accepted. */
export function acceptedBy(job: Pick<Job, 'kind' | 'params'> | null): string[] {
  return assembleParams(job)?.acceptedLicences ?? [];
}

/** What a finished assembly offers next; null while it runs or when it did not succeed. */
export function assembleResult(job: Pick<Job, 'state' | 'result'>): AssembleResult | null {
  if (job.state !== 'succeeded') return null;
  const parsed = AssembleResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : null;
}

/** A recipe's download and disk figures, with whether they are only lower bounds (a size is unpublished). */
export function recipeTotals(recipe: Pick<CatalogueRecipe, 'files' | 'downloadBytes' | 'assemblyBytes' | 'sizesComplete'>) {
  return {
    downloadBytes: recipe.downloadBytes,
    assemblyBytes: recipe.assemblyBytes,
    atLeast: !recipe.sizesComplete,
    unknownSizes: recipe.files.filter((f) => f.sizeBytes === null).length,
  };
}
