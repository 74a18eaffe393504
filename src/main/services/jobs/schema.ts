/**
 * Migration giving jobs an owner. It lives beside the queue and is listed in library/migrations.ts;
 * it must not import the library: the library imports it.
 *
 * The desktop app, the studio server and `jinxiu` commands may run queues on one library at the same
 * time, so "running" alone no longer says the job is a leftover. A job's owner is the queue that
 * enqueued it, then the one that runs it; job_owners holds each live queue's lease (process id, host,
 * heartbeat). There is no foreign key from jobs.owner: leases come and go, and a job whose owner has
 * no lease is simply an orphan. heartbeat_at is milliseconds since the epoch so staleness is a plain
 * comparison.
 */
export const JOB_OWNERS_MIGRATION = {
  name: 'job owners (leases with a heartbeat)',
  sql: `
    ALTER TABLE jobs ADD COLUMN owner TEXT;
    CREATE TABLE job_owners (
      id TEXT PRIMARY KEY,
      pid INTEGER NOT NULL CHECK (pid > 0),
      host TEXT NOT NULL,
      started_at TEXT NOT NULL,
      heartbeat_at INTEGER NOT NULL
    ) STRICT;
  `,
};
