import { alphasCumprod, spacedTimesteps, type SchedulerConfig } from './config';
import { noisedAt, predictOriginal } from './predict';
import type { Scheduler } from './types';

const f32 = Math.fround;

/** DDIM with eta = 0 (deterministic), the paper's sampler: diffusers' DDIMScheduler. */
export class DdimScheduler implements Scheduler {
  readonly name = 'ddim';
  readonly needsNoise = false;
  readonly initNoiseSigma = 1;
  private readonly cumprod: Float32Array;
  private readonly finalCumprod: number;
  private stepRatio = 0;
  timesteps: number[] = [];

  constructor(private readonly config: SchedulerConfig) {
    this.cumprod = alphasCumprod(config);
    this.finalCumprod = config.set_alpha_to_one ? 1 : this.cumprod[0]!;
  }

  setTimesteps(steps: number): void {
    this.timesteps = spacedTimesteps(this.config, steps);
    this.stepRatio = Math.floor(this.config.num_train_timesteps / steps);
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    return noisedAt(this.cumprod[timestep]!, original, noise);
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    if (this.timesteps.length === 0) throw new Error('setTimesteps() must come before step()');
    const prevTimestep = timestep - this.stepRatio;
    const a = this.cumprod[timestep]!;
    const aPrev = prevTimestep >= 0 ? this.cumprod[prevTimestep]! : this.finalCumprod;
    const { original, epsilon } = predictOriginal(this.config, a, modelOutput, sample);
    const sqrtAPrev = f32(Math.sqrt(aPrev));
    const direction = f32(Math.sqrt(f32(1 - aPrev)));
    const out = new Float32Array(sample.length);
    for (let i = 0; i < out.length; i++) out[i] = f32(sqrtAPrev * original[i]!) + f32(direction * epsilon[i]!);
    return out;
  }
}
