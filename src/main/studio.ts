import os from 'node:os';
import path from 'node:path';
import { EventBus } from './host/events';
import { JobQueue } from './services/jobs';
import { Library } from './services/library';
import { APP_VERSION } from './version';

export interface StudioOptions {
  /** The library folder; defaults to $JINXIU_LIBRARY or ~/JinxiuStudio. */
  libraryDir?: string;
  electronVersion?: string | null;
}

export function defaultLibraryDir(): string {
  return process.env.JINXIU_LIBRARY ?? path.join(os.homedir(), 'JinxiuStudio');
}

/**
 * The composition root: the services of one open library. The Electron app, the CLI and the browser
 * harness all build exactly this, so they run the same code.
 */
export class Studio {
  readonly events = new EventBus();
  readonly library: Library;
  readonly jobs: JobQueue;

  private constructor(private readonly options: StudioOptions) {
    this.library = Library.open(options.libraryDir ?? defaultLibraryDir());
    this.jobs = new JobQueue(this.library.db, {
      onProgress: (job, progress) => this.events.emit('job.progress', { id: job.id, kind: job.kind, progress }),
      onState: (job) => this.events.emit('job.state', job),
    });
  }

  static open(options: StudioOptions = {}): Studio {
    return new Studio(options);
  }

  /** Start background work (the job queue); separate from open() so tools can inspect without running jobs. */
  start(): this {
    this.jobs.start();
    return this;
  }

  versions() {
    return {
      app: APP_VERSION,
      node: process.versions.node,
      electron: this.options.electronVersion ?? process.versions.electron ?? null,
      platform: `${process.platform}-${process.arch}`,
    };
  }

  async close(): Promise<void> {
    await this.jobs.stop();
    this.library.close();
  }
}
