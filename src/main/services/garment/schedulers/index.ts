import { schedulerConfigSchema, type SchedulerConfig, type SchedulerConfigInput } from './config';
import { DdimScheduler } from './ddim';
import { DpmSolverScheduler } from './dpm-solver';
import { EulerAncestralScheduler } from './euler-ancestral';
import { LcmScheduler } from './lcm';
import type { Scheduler, SchedulerName } from './types';

export { schedulerConfigSchema, type SchedulerConfig, type SchedulerConfigInput } from './config';
export { SCHEDULER_NAMES, type Scheduler, type SchedulerName, type StepOptions } from './types';

const CLASS_FOR: Record<SchedulerName, SchedulerConfig['_class_name']> = {
  ddim: 'DDIMScheduler',
  'euler-ancestral': 'EulerAncestralDiscreteScheduler',
  'dpmpp-2m-karras': 'DPMSolverMultistepScheduler',
  lcm: 'LCMScheduler',
};

/** A scheduler from a diffusers scheduler_config.json object; throws with zod's words on a bad one. */
export function createScheduler(input: unknown): Scheduler {
  return construct(schedulerConfigSchema.parse(input));
}

function construct(config: SchedulerConfig): Scheduler {
  switch (config._class_name) {
    case 'DDIMScheduler':
      return new DdimScheduler(config);
    case 'EulerAncestralDiscreteScheduler':
      return new EulerAncestralScheduler(config);
    case 'DPMSolverMultistepScheduler':
      return new DpmSolverScheduler(config);
    case 'LCMScheduler':
      return new LcmScheduler(config);
  }
}

/**
 * The pack's own schedule (its betas, offsets, prediction type) with another sampler put on it, as
 * diffusers' `Scheduler.from_config(pipe.scheduler.config)` does; DPM++ 2M gets Karras sigmas.
 */
export function schedulerFromPack(packConfig: SchedulerConfigInput | Record<string, unknown>, name?: SchedulerName): Scheduler {
  return schedulerMaker(packConfig, name)();
}

/**
 * schedulerFromPack with the config checked once: a maker of fresh schedulers (they keep state
 * between steps, so every run needs its own), for a pipeline that renders again and again.
 */
export function schedulerMaker(packConfig: SchedulerConfigInput | Record<string, unknown>, name?: SchedulerName): () => Scheduler {
  const extra = name === 'dpmpp-2m-karras' ? { algorithm_type: 'dpmsolver++', solver_order: 2, use_karras_sigmas: true } : {};
  const config = schedulerConfigSchema.parse(name ? { ...packConfig, ...extra, _class_name: CLASS_FOR[name] } : packConfig);
  return () => construct(config);
}
export { strengthStartIndex } from './strength';
