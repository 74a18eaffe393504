import { describe, expect, it } from 'vitest';
import { Golden, maxAbsDiff } from '../testing/golden';
import { createScheduler } from './index';

interface Case {
  config: Record<string, unknown>;
  steps: number;
  timesteps: number[];
  initNoiseSigma: number;
  noiseGiven: boolean;
}

// Made by tools/models/garment/goldens.py (schedulers()): diffusers' own trajectories on fixed model outputs.
const golden = new Golden<{ cases: Record<string, Case> }>('schedulers');
const TOLERANCE = 1e-5;

describe.each(Object.keys(golden.meta.cases))('scheduler %s against diffusers', (name) => {
  const c = golden.meta.cases[name]!;

  it('has the same timesteps and initial sigma', () => {
    const s = createScheduler(c.config);
    s.setTimesteps(c.steps);
    expect(s.timesteps).toEqual(c.timesteps);
    expect(Math.abs(s.initNoiseSigma - c.initNoiseSigma)).toBeLessThanOrEqual(1e-6);
  });

  it(`follows the trajectory within ${TOLERANCE} at every step`, () => {
    const s = createScheduler(c.config);
    s.setTimesteps(c.steps);
    const initial = golden.float32(`${name}/initial_noise`);
    let sample: Float32Array = initial.map((x) => x * s.initNoiseSigma);
    const worst: number[] = [];
    s.timesteps.forEach((t, i) => {
      const scaled = s.scaleModelInput(sample, t);
      expect(maxAbsDiff(scaled, golden.float32(`${name}/${i}/scaled_sample`))).toBeLessThanOrEqual(TOLERANCE);
      // The stand-in UNet's outputs are fed back from the golden, so only the scheduler is under test.
      const modelOutput = golden.float32(`${name}/${i}/model_output`);
      const noise = c.noiseGiven ? golden.float32(`${name}/${i}/noise`) : undefined;
      sample = s.step(modelOutput, t, sample, noise ? { noise } : {});
      worst.push(maxAbsDiff(sample, golden.float32(`${name}/${i}/prev_sample`)));
    });
    expect(Math.max(...worst)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('scheduler configs', () => {
  it('rejects a scheduler the studio does not implement, by name', () => {
    expect(() => createScheduler({ _class_name: 'PNDMScheduler' })).toThrow(/_class_name/);
  });

  it('asks for noise where the sampler is ancestral', () => {
    const c = golden.meta.cases['euler_ancestral']!;
    const s = createScheduler(c.config);
    s.setTimesteps(4);
    const x = new Float32Array(8);
    expect(() => s.step(x, s.timesteps[0]!, x)).toThrow(/needs the step's noise/);
  });
});
