import type { CatalogueItem, Job } from '../../../../shared/contract';

/** What a catalogue row offers, from the catalogue's answer and the newest download job of that pack. */
export type CatalogueRowState =
  | { kind: 'downloading'; jobId: string; queued: boolean }
  | { kind: 'installed'; version: string }
  | { kind: 'failed'; message: string; partialBytes: number }
  | { kind: 'paused'; partialBytes: number; interrupted: boolean }
  | { kind: 'available' };

const LIVE: ReadonlySet<Job['state']> = new Set(['queued', 'running']);

/**
 * Job events arrive between catalogue reloads, so the job wins when it is the one the catalogue names
 * (it is newer); a catalogue that names another job has seen a newer download start.
 */
export function catalogueRowState(item: CatalogueItem, job: Job | null): CatalogueRowState {
  if (job && LIVE.has(job.state)) return { kind: 'downloading', jobId: job.id, queued: job.state === 'queued' };
  if (item.activeJobId && item.activeJobId !== job?.id) return { kind: 'downloading', jobId: item.activeJobId, queued: false };
  if (item.installedVersion !== null) return { kind: 'installed', version: item.installedVersion };
  if (job?.state === 'failed') return { kind: 'failed', message: job.error?.message ?? '', partialBytes: item.partialBytes };
  // A pause and an app shutdown both leave the downloaded part behind for a resume.
  if (item.partialBytes > 0) return { kind: 'paused', partialBytes: item.partialBytes, interrupted: job?.state === 'interrupted' };
  return { kind: 'available' };
}

/** The pack a download job fetches, from its params; null for anything that is not a model download. */
export function downloadPackId(job: Pick<Job, 'params'>): string | null {
  const params = job.params as { id?: unknown } | null;
  return params && typeof params.id === 'string' ? params.id : null;
}
