import { z } from 'zod';
import { channel } from './channel';

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

export const JobId = z.string().uuid();

export const JobProgressSchema = z.object({
  /** 0..1, or null while the amount of work is unknown. */
  fraction: z.number().min(0).max(1).nullable(),
  step: z.number().int().nonnegative().optional(),
  total: z.number().int().nonnegative().optional(),
  message: z.string().optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobSchema = z.object({
  id: JobId,
  kind: z.string(),
  state: JobState,
  projectId: z.string().nullable(),
  params: z.unknown(),
  progress: JobProgressSchema.nullable(),
  result: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof JobSchema>;

export const jobChannels = {
  list: channel(
    'Jobs, newest first, optionally filtered by state.',
    z.object({ states: z.array(JobState).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.array(JobSchema),
  ),
  get: channel('One job by id.', z.object({ id: JobId }).strict(), JobSchema),
  cancel: channel('Cancel a queued or running job; a running one stops between steps.', z.object({ id: JobId }).strict(), JobSchema),
};

/** Events pushed from main to every connected client. */
export const jobEvents = {
  'job.progress': z.object({ id: JobId, kind: z.string(), progress: JobProgressSchema }),
  'job.state': JobSchema,
};
