/**
 * Child process for crash.test.ts: writes to a library as fast as it can until it is killed. Each
 * write is its own transaction, and its ids are printed (synchronously, to the pipe) only after the
 * commit returned, so every printed line names rows that must survive the kill.
 */
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { JobQueue } from '../../jobs';
import { Library } from '../index';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer.ts <library dir>');

const say = (line: string) => writeSync(1, `${line}\n`);

const lib = Library.open(dir);
const jobs = new JobQueue(lib.db);
jobs.register('crash.stitch', async () => null);
say('ready');

// A project and three of its jobs in one transaction: after any kill either all four rows are there
// or none, logged or not.
const batch = lib.db.transaction((i: number) => {
  const project = lib.projects.create(`batch ${i}`);
  const ids = [0, 1, 2].map((n) => jobs.enqueue('crash.stitch', { i, n }, { projectId: project.id }).id);
  return { project: project.id, jobs: ids };
});

for (let i = 0; ; i++) {
  switch (i % 4) {
    case 0:
      say(`project ${lib.projects.create(`crash ${i}`).id}`);
      break;
    case 1:
      say(`job ${jobs.enqueue('crash.stitch', { i }).id}`);
      break;
    case 2: {
      const b = batch(i);
      say(`batch ${b.project} ${b.jobs.join(' ')}`);
      break;
    }
    default: {
      const stored = await lib.files.put(randomBytes(8 * 1024 + (i % 13) * 1000), 'image/png');
      say(`file ${stored.sha256}`);
    }
  }
}
