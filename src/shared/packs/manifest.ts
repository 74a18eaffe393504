import { z } from 'zod';
import { ManifestBaseSchema, PackRelativePath } from './manifest-base';

/**
 * The full model-pack contract, per kind: tools/models/PACKS.md in zod. The shared part (id, version,
 * kind, files) is ManifestBaseSchema, which installers and downloaders use on their own; this adds
 * what loading and running a pack needs. Graph tensors are keyed by *role* (what the studio feeds or
 * reads) and carry the file's real tensor name, so public exports load through the mapping alone.
 */

export const PACK_FORMAT = 1;

export const TensorDtype = z.enum(['float32', 'float16', 'int64', 'int32', 'bool', 'uint8']);
/** A fixed size, or a symbolic one (`batch`, `height`, `text_tokens`) the graph leaves dynamic. */
export const TensorDim = z.union([z.number().int().positive(), z.string().min(1).max(40)]);
export const TensorSpecSchema = z.object({
  name: z.string().min(1).max(200),
  dtype: TensorDtype,
  shape: z.array(TensorDim).max(8),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

function graphSchema<I extends z.ZodRawShape, O extends z.ZodRawShape>(inputs: I, outputs: O) {
  return z.object({ file: PackRelativePath, inputs: z.object(inputs), outputs: z.object(outputs) });
}

const T = TensorSpecSchema;
/** ControlNet residual roles: controlDown0..controlDownN and controlMid. */
const CONTROL_ROLE = /^control(Down(0|[1-9][0-9]?)|Mid)$/;

function withControlRoles<S extends z.ZodRawShape>(shape: S, side: 'inputs' | 'outputs') {
  return z
    .object(shape)
    .catchall(T)
    .superRefine((value, ctx) => {
      for (const key of Object.keys(value)) {
        if (!(key in shape) && !CONTROL_ROLE.test(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: `unknown ${side} role "${key}" (only controlDown<i> and controlMid may be added)` });
        }
      }
    });
}

export const ImagePreprocessSchema = z.object({
  imageSize: z.number().int().positive().max(4096),
  /** `shortest-edge` + `crop: center` is CLIPImageProcessor's; `stretch` is Chinese-CLIP's Resize((R, R)). */
  resize: z.enum(['shortest-edge', 'stretch']),
  crop: z.literal('center').optional(),
  interpolation: z.enum(['bicubic', 'bilinear', 'nearest']),
  channels: z.literal('RGB'),
  layout: z.literal('NCHW'),
  rescale: z.number().positive(),
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
});
export type ImagePreprocess = z.infer<typeof ImagePreprocessSchema>;

export const ControlPreprocessSchema = z.object({
  kind: z.literal('lineart'),
  /** Line-art ControlNets want white lines on black; a flat is dark lines on white paper. */
  invert: z.boolean(),
  channels: z.literal('RGB'),
  layout: z.literal('NCHW'),
  rescale: z.number().positive(),
  resize: z.literal('stretch'),
  interpolation: z.enum(['bicubic', 'bilinear', 'nearest']),
});

const TokenId = z.number().int().nonnegative();

export const ClipBpeTokenizerSchema = z.object({
  kind: z.literal('clip-bpe'),
  vocab: PackRelativePath,
  merges: PackRelativePath,
  contextLength: z.number().int().positive().max(512),
  doLowerCase: z.boolean(),
  specialTokens: z.object({ bos: z.string(), eos: z.string(), pad: z.string() }),
  specialIds: z.object({ bos: TokenId, eos: TokenId, pad: TokenId }),
});

export const BertWordPieceTokenizerSchema = z.object({
  kind: z.literal('bert-wordpiece'),
  vocab: PackRelativePath,
  vocabSize: z.number().int().positive(),
  doLowerCase: z.boolean(),
  tokenizeChineseChars: z.boolean(),
  contextLength: z.number().int().positive().max(512),
  specialTokens: z.object({ pad: z.string(), unk: z.string(), cls: z.string(), sep: z.string() }),
  specialIds: z.object({ pad: TokenId, unk: TokenId, cls: TokenId, sep: TokenId }),
  maxCharsPerWord: z.number().int().positive(),
});

/** diffusers' scheduler_config.json, for the four schedulers the studio implements. Unknown keys pass. */
export const SCHEDULER_CLASSES = ['DDIMScheduler', 'EulerAncestralDiscreteScheduler', 'DPMSolverMultistepScheduler', 'LCMScheduler'] as const;
export const SchedulerConfigSchema = z.looseObject({
  _class_name: z.enum(SCHEDULER_CLASSES),
  num_train_timesteps: z.number().int().positive(),
  beta_start: z.number().positive(),
  beta_end: z.number().positive(),
  beta_schedule: z.enum(['linear', 'scaled_linear']),
  prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).optional(),
  timestep_spacing: z.enum(['leading', 'trailing', 'linspace']).optional(),
  steps_offset: z.number().int().nonnegative().optional(),
  clip_sample: z.boolean().optional(),
  set_alpha_to_one: z.boolean().optional(),
  use_karras_sigmas: z.boolean().optional(),
  algorithm_type: z.enum(['dpmsolver++', 'dpmsolver', 'sde-dpmsolver++']).optional(),
  solver_order: z.number().int().min(1).max(3).optional(),
  original_inference_steps: z.number().int().positive().optional(),
});
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

// ---------------------------------------------------------------- garment

export const GARMENT_ARCHITECTURES = ['higarment', 'sd15-ip-adapter'] as const;

export const GarmentGraphsSchema = z.object({
  textEncoder: graphSchema({ ids: T }, { hiddenStates: T, pooled: T }),
  imageEncoder: graphSchema({ pixels: T }, { imageEmbeds: T, hiddenStates: T }),
  imageProjection: graphSchema({ imageEmbeds: T }, { imagePromptEmbeds: T }),
  fabricFusion: graphSchema({ labelEmbeds: T, fabricHiddenStates: T }, { fabricTokens: T }).optional(),
  unet: z.object({
    file: PackRelativePath,
    inputs: withControlRoles(
      {
        sample: T,
        timestep: T,
        textEmbeds: T,
        imagePromptEmbeds: T,
        alpha: T,
        /**
         * The sketch route, with a sketchEncoder: its features [batch, C, h, w], which the UNet adds to
         * conv_in's output through a zero-initialised 1x1 convolution, times sketchScale [batch]
         * (the variant's defaults.variants.*.sketchScale on positive rows, 0 on negative ones).
         */
        sketchFeatures: T.optional(),
        sketchScale: T.optional(),
      },
      'inputs',
    ),
    outputs: z.object({ noisePred: T }),
  }),
  controlnet: z
    .object({
      file: PackRelativePath,
      inputs: z.object({ sample: T, timestep: T, textEmbeds: T, controlImage: T, controlScale: T }),
      outputs: withControlRoles({ controlMid: T }, 'outputs'),
    })
    .optional(),
  /**
   * Optional, the sketch's spatial route (cheaper than a ControlNet: it runs once per render, not per
   * step): the flat's line art [batch, 3, H, W], drawn through preprocess.control, -> features
   * [batch, C, H/8, W/8] that every UNet call takes as `sketchFeatures`.
   */
  sketchEncoder: graphSchema({ lineArt: T }, { sketchFeatures: T }).optional(),
  vaeDecoder: graphSchema({ latents: T }, { image: T }),
  /**
   * Optional, for image-to-image ("start from the colorway"): image in [-1, 1] -> the mean of the
   * VAE's latent distribution, not yet multiplied by latents.scalingFactor. Loaded only when a run needs it.
   */
  vaeEncoder: graphSchema({ image: T }, { latentMean: T }).optional(),
});

/** alpha scales the image-prompt branch of every cross-attention: out = Attn(q, t) + alpha * Attn(q, v). */
export const AlphaRuleSchema = z.discriminatedUnion('rule', [
  /** HiGarment: alpha = lambda + (1 - lambda) * sigmoid(cos(mean(v), mean(t))). */
  z.object({ rule: z.literal('harmonized'), lambda: z.number().min(0).max(1), pool: z.literal('mean') }),
  /** IP-Adapter: a fixed image-prompt scale. */
  z.object({ rule: z.literal('fixed'), value: z.number().min(0).max(2) }),
]);

const VariantAlpha = z.union([z.literal('rule'), z.number().min(0).max(2)]);
/** A variant's defaults: its alpha and, for a pack with a sketchEncoder, its sketch scale (1 when left out). */
const VariantDefaults = z.object({ alpha: VariantAlpha, sketchScale: z.number().min(0).max(2).optional() });

export const GarmentSectionSchema = z.object({
  architecture: z.enum(GARMENT_ARCHITECTURES),
  tokenizer: ClipBpeTokenizerSchema,
  graphs: GarmentGraphsSchema,
  preprocess: z.object({ sketch: ImagePreprocessSchema, swatch: ImagePreprocessSchema, control: ControlPreprocessSchema.optional() }),
  latents: z.object({
    channels: z.number().int().positive(),
    downscale: z.number().int().positive(),
    /** The runtime divides latents by this before the VAE decoder (0.18215 in SD 1.5). */
    scalingFactor: z.number().positive(),
  }),
  scheduler: z.object({ config: PackRelativePath }),
  conditioning: z.object({
    attention: z.literal('decoupled'),
    imagePromptTokens: z.number().int().positive(),
    alpha: AlphaRuleSchema,
    negative: z.object({ prompt: z.string(), imageEmbeds: z.literal('zeros') }),
    fabric: z
      .object({
        table: PackRelativePath,
        tokens: z.number().int().positive(),
        labelPrompt: z.string().includes('{label}'),
      })
      .optional(),
  }),
  defaults: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    steps: z.number().int().min(1).max(1000),
    guidanceScale: z.number().min(0).max(30),
    variants: z.object({ imageBiased: VariantDefaults, textBiased: VariantDefaults }),
    controlScale: z.number().min(0).max(2).optional(),
  }),
});
export type GarmentSection = z.infer<typeof GarmentSectionSchema>;

/** fabrics.json of a HiGarment pack: the fabric labels and the synonym table (jeans -> denim). */
export const FabricTableSchema = z.object({
  labels: z.array(z.string().min(1)).min(1),
  synonyms: z.record(z.string().min(1), z.string().min(1)),
});

// ---------------------------------------------------------------- motif

export const MOTIF_LAYOUTS = ['chinese-clip-onnx', 'hf-chinese-clip'] as const;

export const MotifSectionSchema = z.object({
  layout: z.enum(MOTIF_LAYOUTS),
  tokenizer: BertWordPieceTokenizerSchema,
  graphs: z.object({
    text: graphSchema({ ids: T, attentionMask: T.optional(), tokenTypeIds: T.optional() }, { features: T }),
    image: graphSchema({ pixels: T }, { features: T }),
  }),
  preprocess: ImagePreprocessSchema,
  embeddingDim: z.number().int().positive(),
  normalize: z.literal('l2'),
  logitScale: z.number().positive(),
  laclip: z.object({
    beta: z.number().min(0).max(1),
    tau: z.number().positive(),
    crops: z.object({
      scheme: z.literal('grid+center'),
      grid: z.tuple([z.number().int().positive(), z.number().int().positive()]),
      centerScale: z.number().gt(0).max(1),
    }),
  }),
});
export type MotifSection = z.infer<typeof MotifSectionSchema>;

// ---------------------------------------------------------------- manifests

const Extra = {
  packFormat: z.literal(PACK_FORMAT),
  description: z.string().max(2000).optional(),
  source: z.record(z.string(), z.unknown()).optional(),
  providers: z.array(z.string()).optional(),
};

export const GarmentManifestSchema = ManifestBaseSchema.extend({ kind: z.literal('garment'), ...Extra, garment: GarmentSectionSchema });
export const MotifManifestSchema = ManifestBaseSchema.extend({ kind: z.literal('motif'), ...Extra, motif: MotifSectionSchema });

function referencedFiles(m: GarmentManifest | MotifManifest): string[] {
  if (m.kind === 'motif') return [m.motif.tokenizer.vocab, m.motif.graphs.text.file, m.motif.graphs.image.file];
  const g = m.garment;
  const graphs = Object.values(g.graphs).flatMap((graph) => (graph ? [graph.file] : []));
  return [g.tokenizer.vocab, g.tokenizer.merges, g.scheduler.config, ...graphs, ...(g.conditioning.fabric ? [g.conditioning.fabric.table] : [])];
}

/** Cross-field rules a per-field schema cannot state: what one part of a manifest implies for another. */
function checkConsistency(m: GarmentManifest | MotifManifest, ctx: z.RefinementCtx): void {
  const listed = new Set(m.files.map((f) => f.path));
  for (const file of referencedFiles(m)) {
    if (!listed.has(file)) ctx.addIssue({ code: 'custom', path: ['files'], message: `"${file}" is used by the manifest but not listed in files` });
  }
  if (m.kind !== 'garment') return;
  const g = m.garment;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['garment', ...path], message });
  if (g.architecture === 'higarment' && !g.graphs.fabricFusion) issue(['graphs'], 'a higarment pack needs a fabricFusion graph');
  if (Boolean(g.graphs.fabricFusion) !== Boolean(g.conditioning.fabric)) {
    issue(['conditioning', 'fabric'], 'conditioning.fabric and graphs.fabricFusion come together');
  }
  const controlInputs = Object.keys(g.graphs.unet.inputs).filter((k) => CONTROL_ROLE.test(k)).sort();
  if (g.graphs.controlnet) {
    const controlOutputs = Object.keys(g.graphs.controlnet.outputs).sort();
    if (controlInputs.join() !== controlOutputs.join()) issue(['graphs', 'unet', 'inputs'], 'the unet must take exactly the residuals the controlnet gives');
    if (!g.preprocess.control) issue(['preprocess', 'control'], 'a pack with a controlnet needs preprocess.control');
  } else if (controlInputs.length > 0) {
    issue(['graphs', 'unet', 'inputs'], `the unet takes ${controlInputs.join(', ')} but the pack has no controlnet`);
  }
  const unetSketch = [g.graphs.unet.inputs.sketchFeatures, g.graphs.unet.inputs.sketchScale].filter(Boolean).length;
  if (g.graphs.sketchEncoder) {
    if (unetSketch !== 2) issue(['graphs', 'unet', 'inputs'], 'a pack with a sketchEncoder needs a unet that takes sketchFeatures and sketchScale');
    // The sketch encoder reads the same line art as a ControlNet: one drawing of the flat at the output
    // size (lineArtFromFlat), made once per render whichever route takes it. A second preprocess entry
    // would only let the two drift apart; a pack that wants other settings states them here.
    if (!g.preprocess.control) issue(['preprocess', 'control'], 'a pack with a sketchEncoder needs preprocess.control (its line art is drawn that way)');
  } else if (unetSketch > 0) {
    issue(['graphs', 'unet', 'inputs'], 'the unet takes sketchFeatures or sketchScale but the pack has no sketchEncoder (they come together)');
  }
  for (const variant of ['imageBiased', 'textBiased'] as const) {
    if (g.defaults.variants[variant].alpha === 'rule' && g.conditioning.alpha.rule !== 'harmonized') {
      issue(['defaults', 'variants', variant, 'alpha'], '"rule" needs the harmonized alpha rule; give a number for a fixed-scale pack');
    }
    if (g.defaults.variants[variant].sketchScale !== undefined && !g.graphs.sketchEncoder) {
      issue(['defaults', 'variants', variant, 'sketchScale'], 'a sketchScale needs a sketchEncoder; this pack has no sketch route');
    }
  }
}

export const PackManifestSchema = z.discriminatedUnion('kind', [GarmentManifestSchema, MotifManifestSchema]).superRefine(checkConsistency);
export type GarmentManifest = z.infer<typeof GarmentManifestSchema>;
export type MotifManifest = z.infer<typeof MotifManifestSchema>;
export type ModelPackManifest = z.infer<typeof PackManifestSchema>;
