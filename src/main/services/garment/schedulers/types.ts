/** The scheduler names the studio offers, in its own words; each maps to one diffusers class. */
export const SCHEDULER_NAMES = ['ddim', 'euler-ancestral', 'dpmpp-2m-karras', 'lcm'] as const;
export type SchedulerName = (typeof SCHEDULER_NAMES)[number];

export interface StepOptions {
  /**
   * The step's fresh Gaussian noise, for ancestral schedulers (Euler ancestral, LCM). Given
   * explicitly so a run is reproducible from its seed and comparable with diffusers.
   */
  noise?: Float32Array;
}

/**
 * One denoising schedule. Tensors are flat float32 arrays (a scheduler acts element by element, so
 * the shape does not matter). Like diffusers, a scheduler is stateful: step() must be called once
 * per timestep, in order, after setTimesteps().
 */
export interface Scheduler {
  readonly name: SchedulerName;
  setTimesteps(steps: number): void;
  /** The timesteps to visit, largest first; the values the UNet is given. */
  readonly timesteps: readonly number[];
  /** The initial noise is multiplied by this before the first step. */
  readonly initNoiseSigma: number;
  /** True when step() needs `noise` (one draw per step; LCM ignores it on its last step). */
  readonly needsNoise: boolean;
  scaleModelInput(sample: Float32Array, timestep: number): Float32Array;
  /**
   * diffusers' add_noise: the clean sample noised to `timestep`, one of this schedule's timesteps
   * (image-to-image's start; the result is not multiplied by initNoiseSigma).
   */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array;
  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options?: StepOptions): Float32Array;
}
