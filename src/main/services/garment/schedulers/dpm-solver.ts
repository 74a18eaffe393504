import { alphasCumprod, roundHalfEven, trainingSigmas, type SchedulerConfig } from './config';
import type { Scheduler } from './types';

const f32 = Math.fround;

/**
 * DPM-Solver++ multistep, order 2 (diffusers' DPMSolverMultistepScheduler with algorithm_type
 * "dpmsolver++"), with Karras sigmas when the config asks: the "DPM++ 2M Karras" of the UIs.
 * Schedule arithmetic follows diffusers' numpy code in double; step arithmetic is float32 like torch.
 */
export class DpmSolverScheduler implements Scheduler {
  readonly name = 'dpmpp-2m-karras';
  readonly needsNoise = false;
  readonly initNoiseSigma = 1;
  private readonly cumprod: Float32Array;
  private readonly table: Float32Array;
  private sigmas = new Float32Array(0);
  private stepIndex: number | null = null;
  private lowerOrderNums = 0;
  private previous: Float32Array | null = null;
  timesteps: number[] = [];

  constructor(private readonly config: SchedulerConfig) {
    if (config.prediction_type === 'sample') throw new Error('DPM-Solver++ here takes epsilon or v prediction');
    this.cumprod = alphasCumprod(config);
    this.table = trainingSigmas(this.cumprod);
  }

  setTimesteps(steps: number): void {
    const n = this.config.num_train_timesteps;
    if (!Number.isInteger(steps) || steps < 1 || steps > n) throw new Error(`steps must be an integer from 1 to ${n}, got ${steps}`);
    let sigmas: number[];
    let timesteps: number[];
    if (this.config.use_karras_sigmas) {
      const logSigmas = Array.from(this.table, (s) => f32(Math.log(s)));
      sigmas = karras(this.table[n - 1]!, this.table[0]!, steps);
      timesteps = sigmas.map((s) => roundHalfEven(sigmaToT(s, logSigmas)));
    } else {
      timesteps = this.spaced(steps);
      sigmas = timesteps.map((t) => this.table[t]!);
    }
    const last = this.config.final_sigmas_type === 'zero' ? 0 : Math.sqrt(f32(f32(1 - this.cumprod[0]!) / this.cumprod[0]!));
    this.sigmas = Float32Array.from([...sigmas, last]);
    this.timesteps = timesteps;
    this.stepIndex = null;
    this.lowerOrderNums = 0;
    this.previous = null;
  }

  scaleModelInput(sample: Float32Array): Float32Array {
    return sample;
  }

  /** alpha_t x + sigma_t noise at the timestep's sigma, as diffusers' add_noise with the begin index set. */
  addNoise(original: Float32Array, noise: Float32Array, timestep: number): Float32Array {
    if (this.timesteps.length === 0) throw new Error('setTimesteps() must come before addNoise()');
    if (noise.length !== original.length) throw new Error(`noise has ${noise.length} values, the sample ${original.length}`);
    const { alpha, sigmaT } = alphaSigma(this.sigmas[this.indexFor(timestep)]!);
    return original.map((x, k) => f32(alpha * x) + f32(sigmaT * noise[k]!));
  }

  step(modelOutput: Float32Array, timestep: number, sample: Float32Array): Float32Array {
    if (this.timesteps.length === 0) throw new Error('setTimesteps() must come before step()');
    const i = (this.stepIndex ??= this.indexFor(timestep));
    const count = this.timesteps.length;
    const lowerOrderFinal =
      i === count - 1 &&
      (this.config.euler_at_final || (this.config.lower_order_final && count < 15) || this.config.final_sigmas_type === 'zero');
    const x0 = this.dataPrediction(modelOutput, sample, this.sigmas[i]!);
    let out: Float32Array;
    if (this.config.solver_order === 1 || this.lowerOrderNums < 1 || lowerOrderFinal || !this.previous) {
      out = this.firstOrder(x0, sample, i);
    } else {
      out = this.secondOrder(x0, this.previous, sample, i);
    }
    this.previous = x0;
    if (this.lowerOrderNums < this.config.solver_order) this.lowerOrderNums++;
    this.stepIndex = i + 1;
    return out;
  }

  private spaced(steps: number): number[] {
    const n = this.config.num_train_timesteps;
    const out: number[] = [];
    if (this.config.timestep_spacing === 'leading') {
      const ratio = Math.floor(n / (steps + 1));
      for (let k = steps; k >= 1; k--) out.push(k * ratio + this.config.steps_offset);
    } else if (this.config.timestep_spacing === 'trailing') {
      const ratio = n / steps;
      for (let t = n; t > 0; t -= ratio) out.push(roundHalfEven(t) - 1);
    } else {
      for (let k = steps; k >= 1; k--) out.push(roundHalfEven(((n - 1) * k) / steps));
    }
    return out;
  }

  private indexFor(timestep: number): number {
    const found = this.timesteps.indexOf(timestep);
    return found < 0 ? this.timesteps.length - 1 : found;
  }

  private dataPrediction(m: Float32Array, x: Float32Array, sigma: number): Float32Array {
    const { alpha, sigmaT } = alphaSigma(sigma);
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) {
      out[k] =
        this.config.prediction_type === 'epsilon'
          ? f32(x[k]! - f32(sigmaT * m[k]!)) / alpha
          : f32(alpha * x[k]!) - f32(sigmaT * m[k]!);
    }
    return out;
  }

  private firstOrder(x0: Float32Array, sample: Float32Array, i: number): Float32Array {
    const t = alphaSigma(this.sigmas[i + 1]!);
    const s = alphaSigma(this.sigmas[i]!);
    const h = f32(lambda(t) - lambda(s));
    const ratio = f32(t.sigmaT / s.sigmaT);
    const c = f32(t.alpha * f32(f32(Math.exp(-h)) - 1));
    return sample.map((x, k) => f32(ratio * x) - f32(c * x0[k]!));
  }

  private secondOrder(m0: Float32Array, m1: Float32Array, sample: Float32Array, i: number): Float32Array {
    const t = alphaSigma(this.sigmas[i + 1]!);
    const s0 = alphaSigma(this.sigmas[i]!);
    const s1 = alphaSigma(this.sigmas[i - 1]!);
    const lt = lambda(t);
    const l0 = lambda(s0);
    const l1 = lambda(s1);
    const h = f32(lt - l0);
    const r0 = f32(f32(l0 - l1) / h);
    const inv = f32(1 / r0);
    const ratio = f32(t.sigmaT / s0.sigmaT);
    const em1 = f32(f32(Math.exp(-h)) - 1);
    const c0 = f32(t.alpha * em1);
    const c1 = this.config.solver_type === 'midpoint' ? f32(0.5 * c0) : -f32(t.alpha * f32(f32(em1 / h) + 1));
    return sample.map((x, k) => {
      const d1 = f32(inv * f32(m0[k]! - m1[k]!));
      return f32(f32(ratio * x) - f32(c0 * m0[k]!)) - f32(c1 * d1);
    });
  }
}

function alphaSigma(sigma: number): { alpha: number; sigmaT: number } {
  const alpha = f32(1 / f32(Math.sqrt(f32(f32(sigma * sigma) + 1))));
  return { alpha, sigmaT: f32(sigma * alpha) };
}

function lambda(p: { alpha: number; sigmaT: number }): number {
  return f32(f32(Math.log(p.alpha)) - f32(Math.log(p.sigmaT)));
}

/** Karras et al. (2022) sigmas, rho = 7, from the largest training sigma down to the smallest. */
function karras(sigmaMax: number, sigmaMin: number, steps: number): number[] {
  const rho = 7;
  const minInv = sigmaMin ** (1 / rho);
  const maxInv = sigmaMax ** (1 / rho);
  return Array.from({ length: steps }, (_, k) => {
    const ramp = steps === 1 ? 0 : k / (steps - 1);
    return (maxInv + ramp * (minInv - maxInv)) ** rho;
  });
}

/** diffusers' _sigma_to_t: the fractional training timestep whose log-sigma brackets this one. */
function sigmaToT(sigma: number, logSigmas: number[]): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  let low = 0;
  for (let k = 0; k < logSigmas.length; k++) if (logSigma - logSigmas[k]! >= 0) low = k;
  low = Math.min(low, logSigmas.length - 2);
  const lo = logSigmas[low]!;
  const hi = logSigmas[low + 1]!;
  const w = Math.min(1, Math.max(0, (lo - logSigma) / (lo - hi)));
  return (1 - w) * low + w * (low + 1);
}
