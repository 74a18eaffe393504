import { AppError } from '../../../../shared/contract';
import type { SourceLayout } from './recipe';

/** What a single-file checkpoint is, told from its key names and a few shapes, never from its weights. */
export type CheckpointKind =
  | 'sd15'
  | 'sd15-inpainting'
  | 'sd2'
  | 'sdxl'
  | 'flux'
  | 'sd3'
  | 'ldm-other'
  | 'diffusers-unet'
  | 'lora'
  | 'not-diffusion';

export interface RecognisedCheckpoint {
  kind: CheckpointKind;
  /** Reads after "this is": "an SDXL checkpoint". */
  label: string;
}

type KeyShapes = ReadonlyMap<string, { readonly shape: readonly number[] }>;

const UNET = 'model.diffusion_model.';
/** SD 1.x/2.x: the first cross-attention's key projection, [320, context width]. */
const CROSS_ATTENTION_K = `${UNET}input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight`;
const CONV_IN = `${UNET}input_blocks.0.0.weight`;

const LABELS: Record<CheckpointKind, string> = {
  sd15: 'an SD 1.5 checkpoint',
  'sd15-inpainting': 'an SD 1.5 inpainting checkpoint (9 input channels)',
  sd2: 'an SD 2.x checkpoint',
  sdxl: 'an SDXL checkpoint',
  flux: 'a Flux checkpoint',
  sd3: 'an SD3 checkpoint',
  'ldm-other': 'a Stable Diffusion checkpoint of an unknown family',
  'diffusers-unet': 'a diffusers UNet file (one part of a diffusers folder), not a single-file checkpoint',
  lora: 'a LoRA, not a full checkpoint',
  'not-diffusion': 'not a diffusion checkpoint',
};

export function recogniseCheckpoint(tensors: KeyShapes): RecognisedCheckpoint {
  const kind = kindOf(tensors);
  return { kind, label: LABELS[kind] };
}

function kindOf(tensors: KeyShapes): CheckpointKind {
  const keys = [...tensors.keys()];
  const some = (test: (k: string) => boolean) => keys.some(test);
  // Flux and SD3 files come with and without the model.diffusion_model. prefix.
  if (some((k) => /(^|\.)double_blocks\.\d+\./.test(k))) return 'flux';
  if (some((k) => /(^|\.)joint_blocks\.\d+\./.test(k))) return 'sd3';
  if (some((k) => k.startsWith('conditioner.embedders.') || k.startsWith(`${UNET}label_emb.`))) return 'sdxl';
  if (some((k) => k.startsWith('lora_unet_') || k.startsWith('lora_te') || /\.lora_(down|up|A|B)\./.test(k))) return 'lora';
  if (some((k) => k.startsWith(`${UNET}input_blocks.`))) {
    const width = tensors.get(CROSS_ATTENTION_K)?.shape[1];
    // SD 2.x swapped CLIP ViT-L (768) for OpenCLIP ViT-H (1024), stored under cond_stage_model.model.
    if (width === 1024 || some((k) => k.startsWith('cond_stage_model.model.'))) return 'sd2';
    // Tiny twins keep SD 1.5's key layout with narrower widths, so the CLIP text keys decide as well.
    if (width === 768 || some((k) => k.startsWith('cond_stage_model.transformer.'))) {
      return tensors.get(CONV_IN)?.shape[1] === 9 ? 'sd15-inpainting' : 'sd15';
    }
    return 'ldm-other';
  }
  if (tensors.has('conv_in.weight') && some((k) => k.startsWith('down_blocks.'))) return 'diffusers-unet';
  return 'not-diffusion';
}

/** What each source layout but the SD 1.5 checkpoint (recognised in full above) must contain. */
const LAYOUT_SIGNATURES: Record<Exclude<SourceLayout, 'sd15-single-file'>, { what: string; test: (key: string) => boolean; needs: string }> = {
  'h94-ip-adapter': { what: "an IP-Adapter in h94's layout", test: (k) => k.startsWith('ip_adapter.'), needs: 'ip_adapter.*' },
  'hf-clip-vision-projection': {
    what: "a CLIP vision model in transformers' layout",
    test: (k) => k.startsWith('vision_model.encoder.'),
    needs: 'vision_model.encoder.*',
  },
  'controlnet-v11': { what: 'a ControlNet v1.1', test: (k) => k.startsWith('control_model.'), needs: 'control_model.*' },
  'sd15-lora-kohya': { what: "an SD 1.5 LoRA in kohya's names", test: (k) => k.startsWith('lora_unet_') || k.startsWith('lora_te_'), needs: 'lora_unet_* or lora_te_*' },
  'hf-chinese-clip': {
    what: "a Chinese-CLIP model in transformers' layout",
    test: (k) => k.startsWith('text_model.encoder.layer.'),
    needs: 'text_model.encoder.layer.*',
  },
};

/**
 * Refuses a file that is not in the layout its recipe source names, saying what the file is instead:
 * "sdxl.safetensors: this is an SDXL checkpoint; garment packs need SD 1.5."
 */
export function requireLayout(file: { name: string; path: string; tensors: KeyShapes }, layout: SourceLayout): void {
  const seen = recogniseCheckpoint(file.tensors);
  if (layout === 'sd15-single-file') {
    if (seen.kind === 'sd15') return;
    throw new AppError('INVALID_INPUT', `${file.name}: this is ${seen.label}; garment packs need SD 1.5.`, { path: file.path, kind: seen.kind });
  }
  const signature = LAYOUT_SIGNATURES[layout];
  if ([...file.tensors.keys()].some(signature.test)) return;
  const instead = seen.kind === 'not-diffusion' ? '' : ` This is ${seen.label}.`;
  throw new AppError('INVALID_INPUT', `${file.name} is not ${signature.what}: it has no ${signature.needs} keys.${instead}`, {
    path: file.path,
    kind: seen.kind,
  });
}
