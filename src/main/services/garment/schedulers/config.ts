import { z } from 'zod';

/**
 * A scheduler as diffusers writes it in scheduler_config.json. Packs ship that file unchanged, so
 * the studio reads the same keys; keys the studio does not use are kept but ignored.
 */
export const schedulerConfigSchema = z
  .object({
    _class_name: z.enum(['DDIMScheduler', 'EulerAncestralDiscreteScheduler', 'DPMSolverMultistepScheduler', 'LCMScheduler']),
    num_train_timesteps: z.number().int().positive().default(1000),
    beta_start: z.number().positive().default(0.0001),
    beta_end: z.number().positive().default(0.02),
    beta_schedule: z.enum(['linear', 'scaled_linear']).default('linear'),
    trained_betas: z.array(z.number()).nullable().default(null),
    prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).default('epsilon'),
    timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).default('leading'),
    steps_offset: z.number().int().nonnegative().default(0),
    clip_sample: z.boolean().default(false),
    clip_sample_range: z.number().positive().default(1),
    set_alpha_to_one: z.boolean().default(false),
    thresholding: z.literal(false).default(false),
    rescale_betas_zero_snr: z.literal(false).default(false),
    // DPM-Solver
    solver_order: z.number().int().min(1).max(2).default(2),
    algorithm_type: z.literal('dpmsolver++').default('dpmsolver++'),
    solver_type: z.enum(['midpoint', 'heun']).default('midpoint'),
    lower_order_final: z.boolean().default(true),
    euler_at_final: z.boolean().default(false),
    use_karras_sigmas: z.boolean().default(false),
    final_sigmas_type: z.enum(['zero', 'sigma_min']).default('zero'),
    // LCM
    original_inference_steps: z.number().int().positive().default(50),
    timestep_scaling: z.number().positive().default(10),
  })
  .passthrough();

export type SchedulerConfigInput = z.input<typeof schedulerConfigSchema>;
export type SchedulerConfig = z.output<typeof schedulerConfigSchema>;

const f32 = Math.fround;

/**
 * alphas_cumprod exactly as diffusers builds it in float32 (torch.linspace in float32, squared,
 * 1 - beta in float32, cumprod accumulated in double and rounded, as torch's CPU kernel does), so a
 * step here and a step there differ by rounding only.
 */
export function alphasCumprod(config: SchedulerConfig): Float32Array {
  let table = cumprodTables.get(config);
  if (!table) {
    table = buildAlphasCumprod(config);
    cumprodTables.set(config, table);
  }
  return table;
}

/**
 * One table per parsed config: a pipeline makes fresh schedulers from one config on every render
 * (schedulerMaker), and building the table (a 1000-value linspace) was a measurable share of a small
 * pack's render. Schedulers only read it.
 */
const cumprodTables = new WeakMap<SchedulerConfig, Float32Array>();

function buildAlphasCumprod(config: SchedulerConfig): Float32Array {
  const n = config.num_train_timesteps;
  const betas = new Float32Array(n);
  if (config.trained_betas) {
    if (config.trained_betas.length !== n) {
      throw new Error(`trained_betas has ${config.trained_betas.length} values, num_train_timesteps is ${n}`);
    }
    betas.set(config.trained_betas);
  } else {
    const scaled = config.beta_schedule === 'scaled_linear';
    const start = f32(scaled ? Math.sqrt(config.beta_start) : config.beta_start);
    const end = f32(scaled ? Math.sqrt(config.beta_end) : config.beta_end);
    const line = linspaceF32(start, end, n);
    for (let i = 0; i < n; i++) betas[i] = scaled ? f32(line[i]! * line[i]!) : line[i]!;
  }
  const out = new Float32Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    acc *= f32(1 - betas[i]!);
    out[i] = acc;
  }
  return out;
}

/**
 * torch.linspace on CPU in float32, the way its AVX2 kernel fills it: blocks of 8, each block's first
 * value fused-multiply-added from the start (first half) or the end (second half), the rest stepped
 * from it. A plain start + i * step differs in the last bit for a quarter of the values, enough to
 * move alphas_cumprod and so every step.
 */
function linspaceF32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  const step = f32((end - start) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  const lane = 8;
  for (let block = 0; block < steps; block += lane) {
    // A float32 times a small integer is exact in double, so this rounds once, as an FMA does.
    const base = block < halfway ? f32(start + step * block) : f32(end - step * (steps - block - 1));
    for (let j = 0; j < lane && block + j < steps; j++) out[block + j] = f32(base + j * step);
  }
  return out;
}

/** sqrt((1 - a) / a) per training timestep, in float32, the Euler and DPM-Solver sigma table. */
export function trainingSigmas(cumprod: Float32Array): Float32Array {
  const out = new Float32Array(cumprod.length);
  for (let i = 0; i < cumprod.length; i++) {
    const a = cumprod[i]!;
    out[i] = Math.sqrt(f32(f32(1 - a) / a));
  }
  return out;
}

/** Integer timesteps for DDIM / Euler in diffusers' three spacings, largest first. */
export function spacedTimesteps(config: SchedulerConfig, steps: number): number[] {
  const n = config.num_train_timesteps;
  if (!Number.isInteger(steps) || steps < 1 || steps > n) {
    throw new Error(`steps must be an integer from 1 to ${n}, got ${steps}`);
  }
  const out: number[] = [];
  if (config.timestep_spacing === 'leading') {
    const ratio = Math.floor(n / steps);
    for (let i = steps - 1; i >= 0; i--) out.push(i * ratio + config.steps_offset);
  } else if (config.timestep_spacing === 'trailing') {
    const ratio = n / steps;
    for (let t = n; t > 0; t -= ratio) out.push(roundHalfEven(t) - 1);
  } else {
    for (let i = steps - 1; i >= 0; i--) out.push(roundHalfEven(((n - 1) * i) / (steps - 1 || 1)));
  }
  return out;
}

/** numpy's round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
