import { GARMENT_WORKER_TASK } from '../services/garment/worker-task';
import type { AnyTaskHandler } from './task';

/**
 * The whole pipelines this worker can run (see TaskKind). Each lives with the engine that owns it
 * and imports only pipeline code: no library, no jobs, nothing of the main process.
 */
export const WORKER_TASKS: readonly AnyTaskHandler[] = [GARMENT_WORKER_TASK];
