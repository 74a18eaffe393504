import { randomUUID } from 'node:crypto';
import { AppError, JobProgressSchema, type Job, type JobProgress, type JobState } from '../../../shared/contract';
import type { Db } from '../library';
import { nowIso } from '../library';
import { DEFAULT_LEASE, OwnerLease, type LeaseTiming } from './owners';

export interface JobContext<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly params: P;
  readonly projectId: string | null;
  /** Aborted when the job is cancelled or the studio stops; long native calls can pass it on. */
  readonly signal: AbortSignal;
  /** Report progress; persisted, then emitted as a `job.progress` event. Ignored once cancelled. */
  progress(progress: JobProgress): void;
  /** Call between steps: throws JOB_CANCELLED once the job has been cancelled or the studio stops. */
  throwIfCancelled(): void;
}

export type JobRunner<P = unknown, R = unknown> = (ctx: JobContext<P>) => Promise<R>;

export interface JobQueueOptions {
  /** How many jobs run at once (per queue). Inference is serial on one device, so 1 by default. */
  concurrency?: number;
  /**
   * Whether this queue also runs queued jobs whose owner is gone (true by default). The studio does:
   * work queued before a crash or a quit runs at the next start. A `jinxiu` command does not: it runs
   * the jobs it enqueued and the ones it waits for, so it never takes the studio's queued work and
   * leaves it interrupted when it exits.
   */
  adoptOrphans?: boolean;
  /** The lease that tells other processes this queue is alive; tests shorten it. */
  lease?: Partial<LeaseTiming>;
  /** How often jobs of other processes are looked at (waited-for ones ending, owners gone); 1 s by default. */
  pollMs?: number;
  onProgress?: (job: Pick<Job, 'id' | 'kind'>, progress: JobProgress) => void;
  onState?: (job: Job) => void;
}

interface JobRow {
  id: string;
  kind: string;
  state: JobState;
  project_id: string | null;
  owner: string | null;
  params: string;
  progress: string | null;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

type JobError = { code: string; message: string };

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

export const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

const CANCELLED: JobError = { code: 'JOB_CANCELLED', message: 'The job was cancelled.' };
const SHUT_DOWN: JobError = { code: 'JOB_INTERRUPTED', message: 'The studio or command running this job closed before the job finished.' };
const ownerEnded = (pid: number | undefined): JobError => ({
  code: 'JOB_INTERRUPTED',
  message: `The process running this job${pid === undefined ? '' : ` (pid ${pid})`} ended before the job finished.`,
});
const GONE: JobError = { code: 'NOT_FOUND', message: 'The job was deleted (its project was deleted) while it ran.' };

/** Why a running job's controller was aborted; decides the state it ends in. */
type StopReason = 'cancel' | 'shutdown' | 'gone';

interface Active {
  controller: AbortController;
  reason: StopReason | null;
  /** The last state known, for waiters of a job whose row has been deleted under it. */
  last: Job;
}

/**
 * Persistent job queue. Every state change is written to SQLite before it is announced, so a restart
 * finds queued jobs queued and marks the ones that were running as interrupted (with their last
 * progress). Cancellation is cooperative: a running job stops at its next `throwIfCancelled()`, and
 * progress it reports after the cancel is neither saved nor announced.
 *
 * Several queues may share a library (the app, the studio server, `jinxiu` commands), each in its own
 * process. Every job has an owner, the queue that enqueued or runs it, and every queue holds a lease
 * (see owners.ts). A running job is a leftover only once its owner is gone; a live owner's jobs are
 * left alone, queued ones included.
 */
export class JobQueue {
  private readonly runners = new Map<string, JobRunner>();
  private readonly active = new Map<string, Active>();
  private readonly waiters = new Map<string, ((job: Job) => void)[]>();
  /** Waited-for jobs this queue is not running, with their last state seen: polled until they end. */
  private readonly foreign = new Map<string, Job>();
  private readonly concurrency: number;
  private readonly lease: OwnerLease;
  private readonly adoptOrphans: boolean;
  private readonly pollMs: number;
  private ticker: NodeJS.Timeout | null = null;
  private started = false;
  private pumping = false;

  constructor(
    private readonly db: Db,
    private readonly options: JobQueueOptions = {},
  ) {
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new AppError('INVALID_INPUT', `Job concurrency must be a whole number of at least 1, not ${concurrency}.`);
    }
    this.concurrency = concurrency;
    this.lease = new OwnerLease(db, { ...DEFAULT_LEASE, ...options.lease });
    this.adoptOrphans = options.adoptOrphans ?? true;
    this.pollMs = options.pollMs ?? 1000;
  }

  register<P, R>(kind: string, runner: JobRunner<P, R>): void {
    if (this.runners.has(kind)) throw new AppError('CONFLICT', `Job kind "${kind}" is already registered.`);
    this.runners.set(kind, runner as JobRunner);
    if (this.started) queueMicrotask(() => this.pump());
  }

  /** Recover from the last run and start working through the queue. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.lease.hold();
    this.tickEvery();
    this.sweep();
    this.pump();
  }

  /**
   * Stop taking jobs. Running ones are asked to stop at their next step and end as interrupted, with
   * their progress kept; queued ones stay queued, and with the lease given up they are orphans that
   * the next studio to start runs.
   */
  async stop(): Promise<void> {
    this.started = false;
    const ids = [...this.active.keys()];
    for (const a of this.active.values()) this.abort(a, 'shutdown');
    await Promise.all(ids.map((id) => this.waitFor(id).catch(() => undefined)));
    // Released only after the running jobs have ended, so no one takes them for leftovers meanwhile;
    // and not if start() was called again while they wound down.
    if (this.started) return;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (this.lease.isHeld && this.db.open) this.lease.release();
  }

  enqueue(kind: string, params: unknown, options: { projectId?: string | null } = {}): Job {
    if (!this.runners.has(kind)) {
      const known = [...this.runners.keys()].sort().join(', ') || 'none';
      throw new AppError('BAD_REQUEST', `No job kind "${kind}" is registered (registered: ${known}).`);
    }
    let paramsJson: string;
    try {
      paramsJson = JSON.stringify(params ?? {});
    } catch (err) {
      throw new AppError('INVALID_INPUT', `The parameters of a "${kind}" job cannot be saved: ${(err as Error).message}`);
    }
    // The lease is written before the job, so no other process ever sees the job without a live owner.
    if (!this.lease.isHeld) this.lease.hold();
    this.tickEvery();
    const now = nowIso();
    const row: JobRow = {
      id: randomUUID(),
      kind,
      state: 'queued',
      project_id: options.projectId ?? null,
      owner: this.lease.id,
      params: paramsJson,
      progress: null,
      result: null,
      error: null,
      created_at: now,
      updated_at: now,
    };
    try {
      this.db
        .prepare(
          `INSERT INTO jobs (id, kind, state, project_id, owner, params, progress, result, error, created_at, updated_at)
           VALUES (@id, @kind, @state, @project_id, @owner, @params, @progress, @result, @error, @created_at, @updated_at)`,
        )
        .run(row);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
        throw new AppError('NOT_FOUND', `No project with id ${String(options.projectId)}.`);
      }
      throw err;
    }
    const job = toJob(row);
    this.emitState(job);
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

  /** A queued job is cancelled at once; a running one at its next step (its state says so when it has). */
  cancel(id: string): Job {
    const job = this.get(id);
    if (FINAL_STATES.has(job.state)) return job;
    const active = this.active.get(id);
    if (active) {
      this.abort(active, 'cancel');
      return job;
    }
    if (job.state === 'queued') {
      return this.finish(id, 'cancelled', null, { code: 'JOB_CANCELLED', message: 'Cancelled before it started.' }, "state = 'queued'") ?? this.get(id);
    }
    return job;
  }

  /**
   * Resolves when the job reaches a final state, whichever process runs it. A queue that does not
   * adopt orphans still runs a waited-for job whose owner is gone, so a command never waits forever.
   */
  waitFor(id: string): Promise<Job> {
    const active = this.active.get(id);
    const job = active ? active.last : this.get(id);
    if (FINAL_STATES.has(job.state)) return Promise.resolve(job);
    if (!active) {
      this.foreign.set(id, job);
      this.tickEvery();
      queueMicrotask(() => this.pump());
    }
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
      const kinds = [...this.runners.keys()];
      if (kinds.length === 0 || this.active.size >= this.concurrency) return;
      // Jobs of a kind nobody registered (yet) stay queued rather than fail: the kind may come back
      // with its model pack, and nothing queued is ever lost. A live owner's jobs are its own to run.
      const next = this.db.prepare(
        `SELECT * FROM jobs WHERE state = 'queued' AND kind IN (SELECT value FROM json_each(@kinds))
           AND (owner = @me OR ((@adopt OR id IN (SELECT value FROM json_each(@waited)))
                                AND (owner IS NULL OR owner NOT IN (SELECT value FROM json_each(@live)))))
         ORDER BY created_at, rowid LIMIT 1`,
      );
      const params = {
        kinds: JSON.stringify(kinds),
        me: this.lease.id,
        adopt: this.adoptOrphans ? 1 : 0,
        waited: JSON.stringify([...this.foreign.keys()]),
        live: JSON.stringify(this.lease.survey().live),
      };
      const claim = this.db.prepare(`UPDATE jobs SET state = 'running', owner = ?, updated_at = ? WHERE id = ? AND state = 'queued' RETURNING *`);
      while (this.started && this.active.size < this.concurrency) {
        const row = next.get(params) as JobRow | undefined;
        if (!row) break;
        const claimed = claim.get(this.lease.id, nowIso(), row.id) as JobRow | undefined;
        if (!claimed) continue;
        this.run(toJob(claimed), this.runners.get(claimed.kind)!);
      }
    } finally {
      this.pumping = false;
    }
  }

  private run(job: Job, runner: JobRunner): void {
    const active: Active = { controller: new AbortController(), reason: null, last: job };
    this.active.set(job.id, active);
    this.emitState(job);
    const { signal } = active.controller;
    const saveProgress = this.db.prepare(`UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ? AND state = 'running'`);
    const ctx: JobContext = {
      id: job.id,
      kind: job.kind,
      params: job.params,
      projectId: job.projectId,
      signal,
      progress: (progress) => {
        if (signal.aborted || !this.active.has(job.id)) return;
        const parsed = JobProgressSchema.safeParse(progress);
        if (!parsed.success) {
          throw new AppError('INVALID_INPUT', `A "${job.kind}" job reported malformed progress: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
        }
        const saved = saveProgress.run(JSON.stringify(parsed.data), nowIso(), job.id);
        if (saved.changes === 0) {
          this.abort(active, 'gone');
          return;
        }
        active.last = { ...active.last, progress: parsed.data };
        this.safely(() => this.options.onProgress?.({ id: job.id, kind: job.kind }, parsed.data));
      },
      throwIfCancelled: () => {
        if (signal.aborted) throw new AppError('JOB_CANCELLED', 'The job was cancelled.');
      },
    };
    // Start on a later tick so enqueue()/start() return before any work starts; a runner that throws
    // synchronously ends up in the same catch as one that rejects.
    setImmediate(() => {
      Promise.resolve()
        .then(() => (signal.aborted ? undefined : runner(ctx)))
        .then(
          (result) => this.settle(active, result, null),
          (err: unknown) => this.settle(active, null, err),
        )
        .catch((err: unknown) => {
          // settle() failed to write (disk full, database closed): still release the slot and waiters.
          this.release(active, { ...active.last, state: 'failed', error: { code: 'INTERNAL', message: (err as Error).message } });
        })
        .finally(() => {
          this.active.delete(job.id);
          this.pump();
        });
    });
  }

  private settle(active: Active, result: unknown, err: unknown): void {
    const reason = active.reason;
    if (reason === 'gone') {
      // The row may still be there, ended by another process that took this one for gone: say so.
      const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(active.last.id) as JobRow | undefined;
      this.release(active, row ? toJob(row) : { ...active.last, state: 'cancelled', error: GONE });
      return;
    }
    if (reason === 'shutdown') {
      this.finishActive(active, 'interrupted', null, SHUT_DOWN);
    } else if (reason === 'cancel' || AppError.is(err, 'JOB_CANCELLED')) {
      this.finishActive(active, 'cancelled', null, CANCELLED);
    } else if (err !== null && err !== undefined) {
      const e = err instanceof AppError ? err : new AppError('INTERNAL', err instanceof Error ? err.message : String(err));
      this.finishActive(active, 'failed', null, { code: e.code, message: e.message });
    } else {
      let json: string | null;
      try {
        json = result === undefined || result === null ? null : JSON.stringify(result);
      } catch (e) {
        this.finishActive(active, 'failed', null, { code: 'INTERNAL', message: `The job's result cannot be saved: ${(e as Error).message}` });
        return;
      }
      this.finishActive(active, 'succeeded', json, null);
    }
  }

  private finishActive(active: Active, state: JobState, resultJson: string | null, error: JobError | null): void {
    const job = this.finish(active.last.id, state, resultJson, error, "state = 'running'");
    // No row to update means the job was deleted with its project while it ran.
    if (!job) this.release(active, { ...active.last, state: 'cancelled', error: GONE });
  }

  /** Writes the final state (only from the state `guard` allows), then announces it and wakes waiters. */
  private finish(id: string, state: JobState, resultJson: string | null, error: JobError | null, guard: string): Job | null {
    const row = this.db
      .prepare(`UPDATE jobs SET state = ?, result = ?, error = ?, updated_at = ? WHERE id = ? AND ${guard} RETURNING *`)
      .get(state, resultJson, error ? JSON.stringify(error) : null, nowIso(), id) as JobRow | undefined;
    if (!row) return null;
    const job = toJob(row);
    this.emitState(job);
    this.wake(job);
    return job;
  }

  /** Ends a job whose row is gone: announce the ending so clients drop it, and wake waiters. */
  private release(active: Active, job: Job): void {
    active.last = job;
    this.emitState(job);
    this.wake(job);
  }

  private wake(job: Job): void {
    const waiting = this.waiters.get(job.id) ?? [];
    this.waiters.delete(job.id);
    if (this.foreign.delete(job.id) && this.foreign.size === 0) this.ticker?.unref();
    for (const resolve of waiting) resolve(job);
  }

  /**
   * Marks running jobs whose owner is gone as interrupted: their process died with them. Jobs this
   * queue is still winding down (a stop() not yet finished) are its own, not leftovers.
   */
  private sweep(): void {
    const { live, gone } = this.lease.survey();
    const leftovers = this.db
      .prepare(`SELECT id, owner FROM jobs WHERE state = 'running' AND (owner IS NULL OR owner NOT IN (SELECT value FROM json_each(?)))`)
      .all(JSON.stringify(live)) as Pick<JobRow, 'id' | 'owner'>[];
    const interrupt = this.db.prepare(`UPDATE jobs SET state = 'interrupted', error = ?, updated_at = ? WHERE id = ? AND state = 'running' RETURNING *`);
    for (const { id, owner } of leftovers) {
      if (this.active.has(id)) continue;
      const pid = owner === this.lease.id ? process.pid : owner === null ? undefined : gone.get(owner);
      const row = interrupt.get(JSON.stringify(ownerEnded(pid)), nowIso(), id) as JobRow | undefined;
      if (row) this.emitState(toJob(row));
    }
  }

  /** Waited-for jobs another process runs end there: this queue learns it from the database. */
  private checkForeign(): void {
    const read = this.db.prepare('SELECT * FROM jobs WHERE id = ?');
    for (const [id, last] of this.foreign) {
      if (this.active.has(id)) continue;
      const row = read.get(id) as JobRow | undefined;
      if (!row) this.wake({ ...last, state: 'cancelled', error: GONE });
      else if (FINAL_STATES.has(row.state)) this.wake(toJob(row));
      else this.foreign.set(id, toJob(row));
    }
  }

  private tickEvery(): void {
    this.ticker ??= setInterval(() => this.tick(), Math.min(this.pollMs, this.lease.timing.heartbeatMs));
    // A lease alone must not keep a finished command alive; a wait for another process's job must,
    // or a command waiting on the studio's job would exit with nothing left to do but poll.
    if (this.foreign.size > 0) this.ticker.ref();
    else this.ticker.unref();
  }

  private tick(): void {
    if (!this.db.open) {
      // The library was closed without stop(): nothing is left to look after.
      if (this.ticker) clearInterval(this.ticker);
      this.ticker = null;
      return;
    }
    try {
      this.lease.renewIfDue();
      if (this.started) {
        this.sweep();
        this.pump();
      }
      this.checkForeign();
    } catch (err) {
      console.error('[jobs] looking after the queue failed:', err);
    }
  }

  private abort(active: Active, reason: StopReason): void {
    if (active.controller.signal.aborted) return;
    active.reason = reason;
    active.controller.abort(reason);
  }

  private emitState(job: Job): void {
    const active = this.active.get(job.id);
    if (active) active.last = job;
    this.safely(() => this.options.onState?.(job));
  }

  /** A listener that throws must not break the queue's bookkeeping. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error('[jobs] an event listener threw:', err);
    }
  }
}
