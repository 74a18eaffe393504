import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../../shared/contract';

/** A running sha256 of a file written front to back. */
export interface FileHasher {
  /** Hashes `bytes` after everything before; they must stay unchanged until the promise settles. */
  update(bytes: Uint8Array): Promise<void>;
  digest(): Promise<string>;
  /** Stops the hashing (a thread, if any) without a digest. */
  close(): Promise<void>;
}

export function createFileHasher(onThread: boolean): FileHasher {
  return onThread ? new ThreadHasher() : new InlineHasher();
}

/** Hashes on the calling thread, at once. */
class InlineHasher implements FileHasher {
  private readonly hash = createHash('sha256');

  update(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    return Promise.resolve();
  }

  digest(): Promise<string> {
    return Promise.resolve(this.hash.digest('hex'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

// Plain JavaScript evaluated in the thread, so it starts the same from the sources, the tests and the
// built app (no bundling, no TypeScript loader). Messages are handled in order, so the hash is too.
const HASH_THREAD = `
const { parentPort } = require('node:worker_threads');
const hash = require('node:crypto').createHash('sha256');
parentPort.on('message', (m) => {
  if (m.bytes) { hash.update(m.bytes); parentPort.postMessage(0); }
  else parentPort.postMessage(hash.digest('hex'));
});`;

/**
 * Hashes on a thread of its own, so sha256 (about as costly as the f16 -> f32 conversion itself) runs
 * on the second core beside conversion and disk writes instead of after them. The bytes must live in a
 * SharedArrayBuffer: the thread reads them where they are, with no copy.
 */
class ThreadHasher implements FileHasher {
  private readonly worker = new Worker(HASH_THREAD, { eval: true });
  /** Replies come back in the order the requests went. */
  private readonly waiting: { resolve(value: unknown): void; reject(err: Error): void }[] = [];
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (value: unknown) => this.waiting.shift()?.resolve(value));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  update(bytes: Uint8Array): Promise<void> {
    if (!(bytes.buffer instanceof SharedArrayBuffer)) throw new AppError('INTERNAL', 'The hashing thread reads shared memory only.');
    return this.ask({ bytes }).then(() => undefined);
  }

  async digest(): Promise<string> {
    const hex = (await this.ask({})) as string;
    await this.close();
    return hex;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the hashing thread was closed');
    await this.worker.terminate();
  }

  private ask(message: { bytes?: Uint8Array }): Promise<unknown> {
    if (this.failure) return Promise.reject(new AppError('INTERNAL', `Cannot hash the data file: ${this.failure.message}.`));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(new AppError('INTERNAL', `Cannot hash the data file: ${err.message}.`));
  }
}
