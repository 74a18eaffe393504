import { GARMENT_SCHEDULERS, type GenerationRecord } from '../../../../shared/contract';
import type { RenderSettings } from './AlphaControl';

/**
 * "Reuse these settings": the generate panel's settings that made a past render, seed locked so the
 * same flat and prompt give the same image. A strength recorded as null (a pack without a
 * ControlNet) leaves the next pack's default in place.
 */
export function settingsFromRecord(record: GenerationRecord): RenderSettings {
  return {
    alpha: record.alphaAuto ? 'auto' : record.alpha,
    seed: record.seed,
    seedLocked: true,
    steps: record.steps,
    scheduler: GARMENT_SCHEDULERS.find((s) => s === record.scheduler) ?? null,
    controlScale: record.controlScale,
  };
}
