import { AppError } from '../../../shared/contract';

const OOM = /out of memory|failed to allocate|bad_alloc|cudaErrorMemoryAllocation|CUDNN_STATUS_ALLOC_FAILED|DML.*E_OUTOFMEMORY/i;

/**
 * onnxruntime reports an exhausted device or host as an ordinary run error (or the worker dies of
 * it); the technician needs to hear "out of memory" and what to try, not the provider's words alone.
 */
export function explainGenerationError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = AppError.is(err) ? err.code : 'INTERNAL';
  if (code === 'JOB_CANCELLED' || code === 'MODEL_INVALID' || code === 'INVALID_INPUT' || code === 'NOT_FOUND' || code === 'MODEL_MISSING') return err;
  if (OOM.test(err.message)) {
    return new AppError('OUT_OF_MEMORY', `The garment model ran out of memory: fewer steps will not help; close other apps, use a smaller pack or the CPU provider. (${firstLine(err.message)})`);
  }
  if (code === 'WORKER_CRASHED') {
    return new AppError('WORKER_CRASHED', `${err.message} A garment pack that does not fit in memory ends this way; try a smaller pack.`);
  }
  return err;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 300);
}
