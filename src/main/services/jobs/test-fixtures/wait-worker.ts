/**
 * Child process for owners.test.ts: a command-like queue (it adopts no orphans) that waits for a job
 * another process runs, then prints how it ended. The queue has no work of its own, so only the wait
 * keeps the process alive.
 */
import { writeSync } from 'node:fs';
import { Library } from '../../library';
import { JobQueue } from '../index';

const [dir, jobId] = process.argv.slice(2);
if (!dir || !jobId) throw new Error('usage: wait-worker.ts <library dir> <job id>');

const lib = Library.open(dir);
const queue = new JobQueue(lib.db, { adoptOrphans: false, pollMs: 20 });
queue.start();
const ended = queue.waitFor(jobId);
writeSync(1, 'waiting\n');
const job = await ended;
writeSync(1, `${job.state} ${JSON.stringify(job.result)}\n`);
await queue.stop();
lib.close();
