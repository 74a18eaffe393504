import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/contract';
import { recogniseCheckpoint, requireLayout, type CheckpointKind } from './checkpoint-kind';
import { SafetensorsFile } from './safetensors';
import { tempDir, writeKeyList } from './test-kit';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const U = 'model.diffusion_model.';
const TO_K = `${U}input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight`;

/** Key lists in the public files' own names; real widths where the kind is told by a shape. */
const KEY_LISTS: Record<string, { keys: Record<string, number[]>; kind: CheckpointKind; label: string }> = {
  'sd15.safetensors': {
    keys: {
      [`${U}input_blocks.0.0.weight`]: [320, 4, 3, 3],
      [TO_K]: [320, 768],
      'cond_stage_model.transformer.text_model.embeddings.token_embedding.weight': [0, 768],
      'first_stage_model.decoder.conv_in.weight': [0, 4, 3, 3],
    },
    kind: 'sd15',
    label: 'an SD 1.5 checkpoint',
  },
  'sd15-unet-only.safetensors': { keys: { [TO_K]: [320, 768], [`${U}out.2.weight`]: [4, 320, 3, 3] }, kind: 'sd15', label: 'an SD 1.5 checkpoint' },
  'sd15-inpainting.safetensors': {
    keys: { [`${U}input_blocks.0.0.weight`]: [320, 9, 3, 3], [TO_K]: [320, 768], 'cond_stage_model.transformer.text_model.final_layer_norm.weight': [0] },
    kind: 'sd15-inpainting',
    label: 'an SD 1.5 inpainting checkpoint (9 input channels)',
  },
  'sd21.safetensors': {
    keys: { [TO_K]: [320, 1024], 'cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight': [0, 1024] },
    kind: 'sd2',
    label: 'an SD 2.x checkpoint',
  },
  'sd2-by-width.safetensors': { keys: { [TO_K]: [320, 1024] }, kind: 'sd2', label: 'an SD 2.x checkpoint' },
  'sdxl.safetensors': {
    keys: {
      [`${U}label_emb.0.0.weight`]: [0, 2816],
      [`${U}input_blocks.4.1.transformer_blocks.0.attn2.to_k.weight`]: [0, 2048],
      'conditioner.embedders.1.model.transformer.resblocks.0.attn.in_proj_weight': [0, 1280],
    },
    kind: 'sdxl',
    label: 'an SDXL checkpoint',
  },
  'flux1-dev.safetensors': { keys: { 'double_blocks.0.img_attn.qkv.weight': [0, 3072], 'single_blocks.0.linear1.weight': [0, 3072] }, kind: 'flux', label: 'a Flux checkpoint' },
  'flux-prefixed.safetensors': { keys: { [`${U}double_blocks.0.img_attn.qkv.weight`]: [0, 3072] }, kind: 'flux', label: 'a Flux checkpoint' },
  'sd3-medium.safetensors': {
    keys: { [`${U}joint_blocks.0.context_block.attn.qkv.weight`]: [0, 1536], 'text_encoders.clip_l.transformer.text_model.final_layer_norm.weight': [0] },
    kind: 'sd3',
    label: 'an SD3 checkpoint',
  },
  'lcm-lora.safetensors': {
    keys: { 'lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight': [0, 320], 'lora_unet_down_blocks_0_attentions_0_proj_in.alpha': [] },
    kind: 'lora',
    label: 'a LoRA, not a full checkpoint',
  },
  'diffusion_pytorch_model.safetensors': {
    keys: { 'conv_in.weight': [0, 4, 3, 3], 'down_blocks.0.resnets.0.conv1.weight': [0, 320, 3, 3] },
    kind: 'diffusers-unet',
    label: 'a diffusers UNet file (one part of a diffusers folder), not a single-file checkpoint',
  },
  'clip-vision.safetensors': {
    keys: {
      'vision_model.embeddings.patch_embedding.weight': [0, 3, 14, 14],
      'vision_model.encoder.layers.0.self_attn.q_proj.weight': [0, 1280],
      'visual_projection.weight': [0, 1280],
    },
    kind: 'not-diffusion',
    label: 'not a diffusion checkpoint',
  },
  'odd-ldm.safetensors': { keys: { [`${U}input_blocks.0.0.weight`]: [0, 4, 3, 3] }, kind: 'ldm-other', label: 'a Stable Diffusion checkpoint of an unknown family' },
};

async function open(name: string): Promise<SafetensorsFile> {
  return SafetensorsFile.open(writeKeyList(path.join(dir, name), KEY_LISTS[name]!.keys));
}

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a refusal');
}

describe('recogniseCheckpoint', () => {
  it.each(Object.keys(KEY_LISTS))('tells what %s is from its header', async (name) => {
    const st = await open(name);
    try {
      expect(recogniseCheckpoint(st.tensors)).toEqual({ kind: KEY_LISTS[name]!.kind, label: KEY_LISTS[name]!.label });
    } finally {
      await st.close();
    }
  });

  it('takes a tiny twin in SD 1.5 key names, whatever its widths, for SD 1.5', () => {
    const twin = new Map([
      [TO_K, { shape: [8, 12] }],
      ['cond_stage_model.transformer.text_model.embeddings.position_ids', { shape: [1, 77] }],
    ]);
    expect(recogniseCheckpoint(twin).kind).toBe('sd15');
  });
});

describe('requireLayout', () => {
  it.each([
    ['sdxl.safetensors', 'this is an SDXL checkpoint; garment packs need SD 1.5.'],
    ['sd21.safetensors', 'this is an SD 2.x checkpoint; garment packs need SD 1.5.'],
    ['flux1-dev.safetensors', 'this is a Flux checkpoint; garment packs need SD 1.5.'],
    ['sd3-medium.safetensors', 'this is an SD3 checkpoint; garment packs need SD 1.5.'],
    ['sd15-inpainting.safetensors', 'this is an SD 1.5 inpainting checkpoint (9 input channels); garment packs need SD 1.5.'],
    ['clip-vision.safetensors', 'this is not a diffusion checkpoint; garment packs need SD 1.5.'],
  ])('refuses %s as the SD 1.5 checkpoint, naming what it is', async (name, message) => {
    const st = await open(name);
    try {
      const err = refusal(() => requireLayout(st, 'sd15-single-file'));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toBe(`${name}: ${message}`);
      expect(err.details).toMatchObject({ kind: KEY_LISTS[name]!.kind });
    } finally {
      await st.close();
    }
  });

  it('accepts an SD 1.5 checkpoint, and files in the layouts their sources name', async () => {
    const sd15 = await open('sd15.safetensors');
    const vision = await open('clip-vision.safetensors');
    const lora = await open('lcm-lora.safetensors');
    try {
      expect(() => requireLayout(sd15, 'sd15-single-file')).not.toThrow();
      expect(() => requireLayout(vision, 'hf-clip-vision-projection')).not.toThrow();
      expect(() => requireLayout(lora, 'sd15-lora-kohya')).not.toThrow();
    } finally {
      await Promise.all([sd15.close(), vision.close(), lora.close()]);
    }
  });

  it('says a file given as the IP-Adapter is something else', async () => {
    const st = await open('sd15.safetensors');
    try {
      const err = refusal(() => requireLayout(st, 'h94-ip-adapter'));
      expect(err.message).toBe("sd15.safetensors is not an IP-Adapter in h94's layout: it has no ip_adapter.* keys. This is an SD 1.5 checkpoint.");
    } finally {
      await st.close();
    }
  });
});
