import { alphasCumprod, type SchedulerConfig } from './config';
import { noisedAt, predictOriginal } from './predict';
import type { Scheduler, StepOptions } from './types';

const f32 = Math.fround;

/** Latent consistency sampling (diffusers' LCMScheduler): a few steps, fresh noise between them. */
export class LcmScheduler implements Scheduler {
  readonly name = 'lcm';
  readonly needsNoise = true;
  readonly initNoiseSigma = 1;
  private readonly cumprod: Float32Array;
  private readonly finalCumprod: number;
  private stepIndex: number | null = null;
  timesteps: number[] = [];

  constructor(private readonly config: SchedulerConfig) {
    this.cumprod = alphasCumprod(config);
    this.finalCumprod = config.set_alpha_to_one ? 1 : this.cumprod[0]!;
  }

  setTimesteps(steps: number): void {
    const original = this.config.original_inference_steps;
    const n = this.config.num_train_timesteps;
    if (original > n) throw new Error(`original_inference_steps ${original} exceeds num_train_timesteps ${n}`);
    if (!Number.isInteger(steps) || steps < 1 || steps > original) {
      throw new Error(`LCM steps must be an integer from 1 to ${original}, got ${steps}`);
    }
    const k = Math.floor(n / original);
    // The distillation schedule, largest first, then `steps` of them evenly spaced by index.
    const origin = Array.from({ length: original }, (_, i) => (original - i) * k - 1);
    this.timesteps = Array.from({ length: steps }, (_, i) => origin[Math.floor((i * original) / steps)]!);
    this.stepIndex = null;
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    return noisedAt(this.cumprod[timestep]!, original, noise);
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    if (this.timesteps.length === 0) throw new Error('setTimesteps() must come before step()');
    const i = (this.stepIndex ??= Math.max(0, this.timesteps.indexOf(timestep)));
    const prevTimestep = i + 1 < this.timesteps.length ? this.timesteps[i + 1]! : timestep;
    const a = this.cumprod[timestep]!;
    const aPrev = prevTimestep >= 0 ? this.cumprod[prevTimestep]! : this.finalCumprod;
    const scaled = f32(timestep * this.config.timestep_scaling);
    const sigmaData = 0.5;
    const cSkip = f32(f32(sigmaData * sigmaData) / f32(f32(scaled * scaled) + f32(sigmaData * sigmaData)));
    const cOut = f32(scaled / f32(Math.sqrt(f32(f32(scaled * scaled) + f32(sigmaData * sigmaData)))));
    const { original } = predictOriginal(this.config, a, modelOutput, sample);
    const denoised = new Float32Array(sample.length);
    for (let k = 0; k < denoised.length; k++) denoised[k] = f32(cOut * original[k]!) + f32(cSkip * sample[k]!);
    this.stepIndex = i + 1;
    if (i === this.timesteps.length - 1) return denoised;
    const noise = options.noise;
    if (!noise || noise.length !== sample.length) {
      throw new Error(`LCM needs the step's noise (${sample.length} values), got ${noise?.length ?? 'none'}`);
    }
    const sqrtA = f32(Math.sqrt(aPrev));
    const sqrtB = f32(Math.sqrt(f32(1 - aPrev)));
    return denoised.map((d, k) => f32(sqrtA * d) + f32(sqrtB * noise[k]!));
  }
}
