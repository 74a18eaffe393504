import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '../../shared/contract';
import { GARMENT_SCHEDULERS } from '../../shared/contract/garment';
import type { CliContext } from './context';
import { decimalOption, MAX_SEED, parseDecimal, wholeNumberOption } from './options';
import { checkOutputFolder, makeOutputFolder, writeFileAtomic } from '../services/outputs';
import { encodePng, generationFlat, readFlatFile, type SchedulerName } from '../services/garment';
import type { ViewId } from '../../shared/flat';

function parseAlpha(value: string): 'auto' | number {
  if (value === 'auto') return 'auto';
  try {
    return parseDecimal('--alpha', value, { min: 0, max: 1 });
  } catch {
    throw new AppError('INVALID_INPUT', `--alpha takes "auto" or a decimal from 0 to 1, not "${value}".`);
  }
}

/** diffusers' image-to-image default: most of the schedule runs, the colorway still shows through. */
const DEFAULT_INIT_STRENGTH = 0.8;

function parseInit(value: string): 'colorway' {
  if (value !== 'colorway') throw new AppError('INVALID_INPUT', `--init takes "colorway" (start from the flat's colorway render), not "${value}".`);
  return value;
}

function parseView(value: string): ViewId {
  if (value !== 'front' && value !== 'back') throw new AppError('INVALID_INPUT', `--view is front or back (got "${value}").`);
  return value;
}

function parseScheduler(value: string): SchedulerName {
  if (!(GARMENT_SCHEDULERS as readonly string[]).includes(value)) throw new InvalidArgumentError(`one of ${GARMENT_SCHEDULERS.join(', ')}.`);
  return value as SchedulerName;
}

/**
 * `jinxiu generate`: one flat + prompt (+ swatch) to image-biased.png, text-biased.png, sketch.png and
 * run.json. The flat is read as the app reads it (readFlatFile: an SVG's front and back told apart)
 * and one view is drawn, the front unless --view says back, as the app's generation draws it.
 */
export function registerGarmentCommands(program: Command, ctx: CliContext): void {
  program
    .command('generate')
    .description('render a flat as two garment images (image-biased and text-biased)')
    .requiredOption('--flat <file>', 'the flat sketch: an .svg or a flat .json document')
    .option('--view <front|back>', 'the view of the flat to draw', parseView, 'front' as const)
    .requiredOption('--prompt <text>', 'what the garment should be (Chinese or English)')
    .option('--swatch <image>', 'a fabric swatch photo')
    .option('--fabric <word>', 'the fabric, when the prompt names none the pack knows')
    .option('--alpha <auto|0..1>', 'alpha of the image-biased variant', parseAlpha, 'auto' as const)
    .option('--steps <n>', 'denoising steps (the pack default when left out)', wholeNumberOption('--steps', 1, 200))
    .option('--scheduler <name>', `${GARMENT_SCHEDULERS.join(' | ')} (the pack's own when left out)`, parseScheduler)
    .option('--seed <n>', 'random seed (a random one, recorded, when left out)', wholeNumberOption('--seed', 0, MAX_SEED))
    .option('--pack <id|folder>', 'a garment pack id or folder (the default garment pack when left out)')
    .option('--control-scale <0..2>', "line-art strength, for a pack with a ControlNet (the pack's default when left out)", decimalOption('--control-scale', { min: 0, max: 2 }))
    .option('--init <colorway>', "start from the flat's colorway render instead of pure noise (a pack with a VAE encoder)", parseInit)
    .option('--strength <0..1>', `with --init: how much of the schedule runs from it; 1 is text-to-image (${DEFAULT_INIT_STRENGTH} when left out)`, decimalOption('--strength', { min: 0, max: 1 }))
    .requiredOption('--out <dir>', 'folder for image-biased.png, text-biased.png, sketch.png and run.json')
    .action(async (opts: { flat: string; view: ViewId; prompt: string; swatch?: string; fabric?: string; alpha: 'auto' | number; steps?: number; scheduler?: SchedulerName; seed?: number; pack?: string; controlScale?: number; init?: 'colorway'; strength?: number; out: string }, cmd: Command) => {
      if (opts.strength !== undefined && !opts.init) throw new AppError('INVALID_INPUT', '--strength goes with --init colorway; without it the render starts from noise.');
      const flat = await readFlatFile(opts.flat);
      // A view the flat lacks is refused here, before a pack is loaded.
      generationFlat(flat, opts.view);
      await checkOutputFolder(opts.out);
      const studio = ctx.openStudio();
      const out = await studio.garment.render(
        {
          flat,
          view: opts.view,
          prompt: opts.prompt,
          alpha: opts.alpha,
          ...(opts.swatch ? { swatchPath: opts.swatch } : {}),
          ...(opts.fabric ? { fabric: opts.fabric } : {}),
          ...(opts.steps ? { steps: opts.steps } : {}),
          ...(opts.scheduler ? { scheduler: opts.scheduler } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.pack ? { pack: opts.pack } : {}),
          ...(opts.controlScale !== undefined ? { controlScale: opts.controlScale } : {}),
          ...(opts.init ? { init: { kind: opts.init, strength: opts.strength ?? DEFAULT_INIT_STRENGTH } } : {}),
        },
        { onStep: (step, total) => ctx.err(`step ${step}/${total}`) },
      );
      await makeOutputFolder(opts.out);
      const files: Record<string, string> = {};
      for (const v of out.variants) {
        const file = path.join(opts.out, `${v.variant}.png`);
        await writeFileAtomic(file, v.png);
        files[v.variant] = file;
      }
      // The sketch the image encoder read: the one view drawn, as the app draws it.
      const sketch = path.join(opts.out, 'sketch.png');
      await writeFileAtomic(sketch, encodePng(out.sketch, { Software: 'Jinxiu Studio' }));
      const record = {
        flat: path.resolve(opts.flat),
        view: out.view,
        sketch,
        prompt: opts.prompt,
        // What the text encoder read: English composed from a Chinese prompt for an SD 1.5 pack.
        modelPrompt: out.modelPrompt,
        pack: { id: out.packId, version: out.packVersion, name: out.packName },
        provider: out.provider,
        seed: out.seed,
        steps: out.steps,
        scheduler: out.scheduler,
        guidanceScale: out.guidanceScale,
        fabric: out.fabric,
        controlScale: out.controlScale,
        // How the run started: the colorway, its strength and what painted it; null from noise.
        init: out.init,
        batched: out.batched,
        durationMs: out.durationMs,
        timesteps: out.run.timesteps,
        // With a sketch encoder, each variant's sketch scale (the pack's defaults) beside its alpha.
        variants: out.variants.map((v) => ({
          variant: v.variant,
          alpha: v.alpha,
          alphaAuto: v.alphaAuto,
          ...(v.sketchScale !== null ? { sketchScale: v.sketchScale } : {}),
          file: files[v.variant],
        })),
      };
      // Last, so a run.json always describes images that are whole.
      await writeFileAtomic(path.join(opts.out, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
      if (cmd.optsWithGlobals().json) ctx.out(JSON.stringify(record, null, 2));
      else for (const v of record.variants) ctx.out(`${v.variant}  alpha ${v.alpha.toFixed(3)}${v.alphaAuto ? ' (auto)' : ''}  ${v.file}`);
    });
}
