import { alphasCumprod, spacedTimesteps, trainingSigmas, type SchedulerConfig } from './config';
import type { Scheduler, StepOptions } from './types';

const f32 = Math.fround;

/** Euler ancestral (diffusers' EulerAncestralDiscreteScheduler), epsilon or v prediction. */
export class EulerAncestralScheduler implements Scheduler {
  readonly name = 'euler-ancestral';
  readonly needsNoise = true;
  private readonly table: Float32Array;
  private sigmas = new Float32Array(0);
  private stepIndex = 0;
  timesteps: number[] = [];

  constructor(private readonly config: SchedulerConfig) {
    if (config.prediction_type === 'sample') throw new Error('Euler ancestral does not take prediction_type "sample"');
    this.table = trainingSigmas(alphasCumprod(config));
  }

  get initNoiseSigma(): number {
    const max = this.sigmas.length ? Math.max(...this.sigmas) : this.table[this.table.length - 1]!;
    return this.config.timestep_spacing === 'leading' ? f32(Math.sqrt(f32(f32(max * max) + 1))) : max;
  }

  setTimesteps(steps: number): void {
    this.timesteps = spacedTimesteps(this.config, steps);
    // Timesteps are integers here, so diffusers' np.interp lands exactly on table entries.
    this.sigmas = Float32Array.from([...this.timesteps.map((t) => this.table[t]!), 0]);
    this.stepIndex = 0;
  }

  scaleModelInput(sample: Float32Array, timestep: number): Float32Array {
    const sigma = this.sigmaAt(timestep);
    const scale = f32(Math.sqrt(f32(f32(sigma * sigma) + 1)));
    return sample.map((x) => x / scale);
  }

  /** x + sigma noise at the timestep's sigma (the begin index diffusers' img2img sets is that timestep's). */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    if (noise.length !== original.length) throw new Error(`noise has ${noise.length} values, the sample ${original.length}`);
    const sigma = this.sigmaAt(timestep);
    return original.map((x, k) => x + f32(noise[k]! * sigma));
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array, options: StepOptions = {}): Float32Array {
    const i = this.indexOf(timestep);
    const sigma = this.sigmas[i]!;
    const sigmaTo = this.sigmas[i + 1]!;
    const sigmaSq = f32(sigma * sigma);
    const toSq = f32(sigmaTo * sigmaTo);
    const sigmaUp = f32(Math.sqrt(f32(f32(toSq * f32(sigmaSq - toSq)) / sigmaSq)));
    const sigmaDown = f32(Math.sqrt(f32(toSq - f32(sigmaUp * sigmaUp))));
    const dt = f32(sigmaDown - sigma);
    const noise = options.noise;
    if (!noise || noise.length !== sample.length) {
      throw new Error(`Euler ancestral needs the step's noise (${sample.length} values), got ${noise?.length ?? 'none'}`);
    }
    const vScale = f32(-sigma / f32(Math.sqrt(f32(sigmaSq + 1))));
    const out = new Float32Array(sample.length);
    for (let k = 0; k < out.length; k++) {
      const x = sample[k]!;
      const m = modelOutput[k]!;
      const original =
        this.config.prediction_type === 'epsilon' ? f32(x - f32(sigma * m)) : f32(f32(m * vScale) + f32(x / f32(sigmaSq + 1)));
      const derivative = f32(f32(x - original) / sigma);
      const moved = f32(x + f32(derivative * dt));
      out[k] = moved + f32(noise[k]! * sigmaUp);
    }
    this.stepIndex = i + 1;
    return out;
  }

  private sigmaAt(timestep: number): number {
    return this.sigmas[this.indexOf(timestep)]!;
  }

  /** Like diffusers: the first call finds the timestep, later calls go on from the counter. */
  private indexOf(timestep: number): number {
    if (this.timesteps.length === 0) throw new Error('setTimesteps() must come before step()');
    if (this.timesteps[this.stepIndex] === timestep) return this.stepIndex;
    const found = this.timesteps.indexOf(timestep);
    if (found < 0) throw new Error(`timestep ${timestep} is not in this schedule`);
    return found;
  }
}
