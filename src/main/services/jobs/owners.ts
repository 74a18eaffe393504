import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../library';
import { nowIso, processExists } from '../library';

export interface LeaseTiming {
  /** How often a live queue renews its lease. */
  heartbeatMs: number;
  /** A lease not renewed for this long is gone: its process hung, or died on another machine. */
  ttlMs: number;
}

export const DEFAULT_LEASE: LeaseTiming = { heartbeatMs: 5_000, ttlMs: 60_000 };

interface OwnerRow {
  id: string;
  pid: number;
  host: string;
  heartbeat_at: number;
}

/**
 * The lease of one job queue in job_owners: who it is (a fresh id per queue, so a reused pid never
 * passes for an old owner), and a heartbeat that proves it is still there.
 *
 * An owner is gone when its heartbeat is older than the lease, or, on this machine, as soon as its
 * process no longer exists: a studio restarted after a crash should not wait a minute to learn what
 * it already knows. A pid reused by an unrelated process keeps the check passing only until the
 * heartbeat runs out, because that process never renews the lease.
 */
export class OwnerLease {
  readonly id = randomUUID();
  private readonly host = os.hostname();
  private held = false;
  private renewedAt = 0;

  constructor(
    private readonly db: Db,
    readonly timing: LeaseTiming,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes (or renews) the lease; written before any job names this owner. */
  hold(): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO job_owners (id, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      )
      .run(this.id, process.pid, this.host, nowIso(), now);
    this.held = true;
    this.renewedAt = now;
  }

  /** Renews the lease when a heartbeat is due; re-creates it if another process swept it away. */
  renewIfDue(): void {
    if (this.held && Date.now() - this.renewedAt >= this.timing.heartbeatMs) this.hold();
  }

  release(): void {
    this.db.prepare('DELETE FROM job_owners WHERE id = ?').run(this.id);
    this.held = false;
  }

  /**
   * The other owners still alive; the pids of those gone, by owner id, for the message of the jobs
   * they leave behind. Leases of gone owners are deleted so the table does not grow with crashes.
   */
  survey(): { live: string[]; gone: Map<string, number> } {
    const rows = this.db.prepare('SELECT id, pid, host, heartbeat_at FROM job_owners WHERE id != ?').all(this.id) as OwnerRow[];
    const now = Date.now();
    const live: string[] = [];
    const gone = new Map<string, number>();
    for (const row of rows) {
      const stale = now - row.heartbeat_at > this.timing.ttlMs;
      if (stale || (row.host === this.host && !processExists(row.pid))) gone.set(row.id, row.pid);
      else live.push(row.id);
    }
    if (gone.size > 0) {
      // Only if the lease is still as seen: an owner that renewed meanwhile is not gone after all.
      const drop = this.db.prepare('DELETE FROM job_owners WHERE id = ? AND heartbeat_at = ?');
      for (const row of rows) if (gone.has(row.id)) drop.run(row.id, row.heartbeat_at);
    }
    return { live, gone };
  }
}
