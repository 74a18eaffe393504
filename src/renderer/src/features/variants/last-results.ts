import type { GenerationRecord } from '../../../../shared/contract';

/**
 * The render pair to show when the studio comes back to a project or the editor opens another flat:
 * the pair that was on show if it is of that flat, else that flat's newest. `records` is the history,
 * newest first; `flatId` null (a project with no flat open) takes any flat's. A pair is both variants
 * of one job: a half deleted from the history is not one.
 */
export function pairToShow(records: readonly GenerationRecord[], flatId: string | null, shownJobId: string | null): GenerationRecord[] | null {
  const byJob = new Map<string, GenerationRecord[]>();
  for (const r of records) if (r.jobId) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
  const fits = (pair: GenerationRecord[] | undefined): pair is GenerationRecord[] =>
    !!pair &&
    pair.some((r) => r.variant === 'image-biased') &&
    pair.some((r) => r.variant === 'text-biased') &&
    (flatId === null || pair.every((r) => r.flatId === flatId));
  const remembered = shownJobId ? byJob.get(shownJobId) : undefined;
  if (fits(remembered)) return remembered;
  // Map keeps insertion order: the first job met is the newest.
  for (const pair of byJob.values()) if (fits(pair)) return pair;
  return null;
}
