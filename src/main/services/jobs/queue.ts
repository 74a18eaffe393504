import { randomUUID } from 'node:crypto';
import { AppError, type Job, type JobProgress, type JobState } from '../../../shared/contract';
import type { Db } from '../library';
import { nowIso } from '../library';

export interface JobContext<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly params: P;
  readonly projectId: string | null;
  /** Aborted when the job is cancelled; long native calls can pass it on. */
  readonly signal: AbortSignal;
  /** Report progress; persisted and emitted as a `job.progress` event. */
  progress(progress: JobProgress): void;
  /** Call between steps: throws JOB_CANCELLED once the job has been cancelled. */
  throwIfCancelled(): void;
}

export type JobRunner<P = unknown, R = unknown> = (ctx: JobContext<P>) => Promise<R>;

export interface JobQueueOptions {
  /** How many jobs run at once (per queue). Inference is serial on one device, so 1 by default. */
  concurrency?: number;
  onProgress?: (job: Pick<Job, 'id' | 'kind'>, progress: JobProgress) => void;
  onState?: (job: Job) => void;
}

interface JobRow {
  id: string;
  kind: string;
  state: JobState;
  project_id: string | null;
  params: string;
  progress: string | null;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

const parse = (s: string | null): unknown => (s == null ? null : JSON.parse(s));

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    projectId: r.project_id,
    params: parse(r.params),
    progress: parse(r.progress) as Job['progress'],
    result: parse(r.result),
    error: parse(r.error) as Job['error'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const FINAL: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/**
 * Persistent job queue. Every state change is written to SQLite before it is announced, so a restart
 * finds queued jobs queued and marks the ones that were running as interrupted (with their last
 * progress). Cancellation is cooperative: a running job stops at its next `throwIfCancelled()`.
 */
export class JobQueue {
  private readonly runners = new Map<string, JobRunner>();
  private readonly running = new Map<string, AbortController>();
  private readonly waiters = new Map<string, ((job: Job) => void)[]>();
  private readonly concurrency: number;
  private started = false;
  private pumping = false;

  constructor(
    private readonly db: Db,
    private readonly options: JobQueueOptions = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  register<P, R>(kind: string, runner: JobRunner<P, R>): void {
    this.runners.set(kind, runner as JobRunner);
  }

  /** Recover from the last run and start working through the queue. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const now = nowIso();
    const interrupted = this.db
      .prepare(`SELECT * FROM jobs WHERE state = 'running'`)
      .all() as JobRow[];
    const mark = this.db.prepare(`UPDATE jobs SET state = 'interrupted', error = ?, updated_at = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const r of interrupted) {
        mark.run(JSON.stringify({ code: 'JOB_INTERRUPTED', message: 'The studio stopped while this job was running.' }), now, r.id);
      }
    })();
    this.pump();
  }

  /** Stop taking new jobs; running ones are cancelled and end as cancelled. */
  async stop(): Promise<void> {
    this.started = false;
    for (const c of this.running.values()) c.abort();
    await Promise.all([...this.running.keys()].map((id) => this.waitFor(id)));
  }

  enqueue(kind: string, params: unknown, options: { projectId?: string | null } = {}): Job {
    if (!this.runners.has(kind)) throw new AppError('BAD_REQUEST', `No job kind "${kind}" is registered.`);
    const now = nowIso();
    const row: JobRow = {
      id: randomUUID(),
      kind,
      state: 'queued',
      project_id: options.projectId ?? null,
      params: JSON.stringify(params ?? {}),
      progress: null,
      result: null,
      error: null,
      created_at: now,
      updated_at: now,
    };
    this.db
      .prepare(
        `INSERT INTO jobs (id, kind, state, project_id, params, progress, result, error, created_at, updated_at)
         VALUES (@id, @kind, @state, @project_id, @params, @progress, @result, @error, @created_at, @updated_at)`,
      )
      .run(row);
    const job = toJob(row);
    this.options.onState?.(job);
    queueMicrotask(() => this.pump());
    return job;
  }

  get(id: string): Job {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No job with id ${id}.`);
    return toJob(row);
  }

  list(filter: { states?: JobState[]; limit?: number } = {}): Job[] {
    const limit = filter.limit ?? 200;
    const rows = filter.states?.length
      ? (this.db
          .prepare(`SELECT * FROM jobs WHERE state IN (${filter.states.map(() => '?').join(',')}) ORDER BY created_at DESC, rowid DESC LIMIT ?`)
          .all(...filter.states, limit) as JobRow[])
      : (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as JobRow[]);
    return rows.map(toJob);
  }

  cancel(id: string): Job {
    const job = this.get(id);
    if (FINAL.has(job.state)) return job;
    if (job.state === 'queued') return this.finish(id, 'cancelled', null, { code: 'JOB_CANCELLED', message: 'Cancelled before it started.' });
    this.running.get(id)?.abort();
    return this.get(id);
  }

  /** Resolves when the job reaches a final state. */
  waitFor(id: string): Promise<Job> {
    const job = this.get(id);
    if (FINAL.has(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  private pump(): void {
    if (!this.started || this.pumping) return;
    this.pumping = true;
    try {
      while (this.running.size < this.concurrency) {
        const row = this.db
          .prepare(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY created_at, rowid LIMIT 1`)
          .get() as JobRow | undefined;
        if (!row) break;
        const runner = this.runners.get(row.kind);
        if (!runner) {
          this.finish(row.id, 'failed', null, { code: 'INTERNAL', message: `No runner for job kind "${row.kind}".` });
          continue;
        }
        this.run(toJob(row), runner);
      }
    } finally {
      this.pumping = false;
    }
  }

  private run(job: Job, runner: JobRunner): void {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    this.setState(job.id, 'running');
    const saveProgress = this.db.prepare('UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ?');
    const ctx: JobContext = {
      id: job.id,
      kind: job.kind,
      params: job.params,
      projectId: job.projectId,
      signal: controller.signal,
      progress: (progress) => {
        saveProgress.run(JSON.stringify(progress), nowIso(), job.id);
        this.options.onProgress?.({ id: job.id, kind: job.kind }, progress);
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new AppError('JOB_CANCELLED', 'The job was cancelled.');
      },
    };
    // Run on a later tick so enqueue() returns before any work starts.
    setImmediate(() => {
      runner(ctx)
        .then((result) => {
          if (controller.signal.aborted) this.finish(job.id, 'cancelled', null, { code: 'JOB_CANCELLED', message: 'The job was cancelled.' });
          else this.finish(job.id, 'succeeded', result ?? null, null);
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted || AppError.is(err, 'JOB_CANCELLED')) {
            this.finish(job.id, 'cancelled', null, { code: 'JOB_CANCELLED', message: 'The job was cancelled.' });
          } else {
            const e = err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
            this.finish(job.id, 'failed', null, { code: e.code, message: e.message });
          }
        })
        .finally(() => {
          this.running.delete(job.id);
          this.pump();
        });
    });
  }

  private setState(id: string, state: JobState): Job {
    this.db.prepare('UPDATE jobs SET state = ?, updated_at = ? WHERE id = ?').run(state, nowIso(), id);
    const job = this.get(id);
    this.options.onState?.(job);
    return job;
  }

  private finish(id: string, state: JobState, result: unknown, error: { code: string; message: string } | null): Job {
    this.db
      .prepare('UPDATE jobs SET state = ?, result = ?, error = ?, updated_at = ? WHERE id = ?')
      .run(state, result == null ? null : JSON.stringify(result), error ? JSON.stringify(error) : null, nowIso(), id);
    const job = this.get(id);
    this.options.onState?.(job);
    for (const resolve of this.waiters.get(id) ?? []) resolve(job);
    this.waiters.delete(id);
    return job;
  }
}
