import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestBaseSchema } from './manifest-base';
import { FabricTableSchema, PackManifestSchema, SchedulerConfigSchema } from './manifest';

// The manifests here are written by the Python toolchain (tools/models): the golden tiny pack's
// (`golden garment`), the converter's (`examples/make_examples.py`) and any pack shipped in resources/.
const ROOT = path.resolve(__dirname, '../../..');
const readJson = (rel: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8'));

const HIGARMENT = 'tools/models/golden/garment-tiny-pack/manifest.json';
const SD15 = 'tools/models/examples/garment-sd15-ipadapter-controlnet.manifest.json';
const CN_CLIP = 'tools/models/examples/motif-chinese-clip-onnx.manifest.json';
const HF_CLIP = 'tools/models/examples/motif-hf-chinese-clip.manifest.json';
const EXAMPLES = [HIGARMENT, SD15, CN_CLIP, HF_CLIP];
const SHIPPED = fs
  .readdirSync(path.join(ROOT, 'resources/models'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'resources/models', d.name, 'manifest.json')))
  .map((d) => `resources/models/${d.name}/manifest.json`)
  .filter((rel) => (readJson(rel) as { kind?: unknown }).kind !== undefined && 'packFormat' in (readJson(rel) as object));

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);
const messages = (value: unknown): string => {
  const r = PackManifestSchema.safeParse(value);
  return r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
};

describe('pack manifest schema', () => {
  it.each([...EXAMPLES, ...SHIPPED])('%s validates, and its base part too', (rel) => {
    const manifest = readJson(rel);
    expect(messages(manifest)).toBe('');
    expect(ManifestBaseSchema.safeParse(manifest).success).toBe(true);
  });

  it('reads the kind-specific section through the discriminated union', () => {
    const garment = PackManifestSchema.parse(readJson(HIGARMENT));
    const motif = PackManifestSchema.parse(readJson(CN_CLIP));
    if (garment.kind !== 'garment' || motif.kind !== 'motif') throw new Error('wrong kinds');
    expect(garment.garment.conditioning.alpha).toEqual({ rule: 'harmonized', lambda: 0.6, pool: 'mean' });
    expect(garment.garment.graphs.unet.inputs.alpha.name).toBe('alpha');
    // Chinese-CLIP's official export is described as it is, batch fixed at 1.
    expect(motif.motif.graphs.text.inputs.ids).toEqual({ name: 'text', dtype: 'int64', shape: [1, 52] });
    expect(motif.motif.graphs.image.outputs.features.name).toBe('unnorm_image_features');
  });

  it('validates the scheduler config and fabric table files of the golden pack', () => {
    const pack = 'tools/models/golden/garment-tiny-pack';
    expect(SchedulerConfigSchema.parse(readJson(`${pack}/scheduler/scheduler_config.json`))._class_name).toBe('DDIMScheduler');
    expect(FabricTableSchema.parse(readJson(`${pack}/fabrics.json`)).synonyms.jeans).toBe('denim');
  });

  it('refuses a garment manifest whose parts contradict each other, saying which', () => {
    const higarment = readJson(HIGARMENT) as Json & { garment: Json & { graphs: Json; conditioning: Json } };
    const noFusion = clone(higarment);
    delete noFusion.garment.graphs.fabricFusion;
    expect(messages(noFusion)).toMatch(/higarment pack needs a fabricFusion graph/);

    const unlisted = clone(higarment);
    (unlisted.files as unknown[]).splice(0, 1);
    expect(messages(unlisted)).toMatch(/"fabric_fusion.onnx" is used by the manifest but not listed in files/);

    const sd15 = readJson(SD15) as Json & { garment: Json & { graphs: Json } };
    const noControlnet = clone(sd15);
    delete noControlnet.garment.graphs.controlnet;
    expect(messages(noControlnet)).toMatch(/the unet takes controlDown0.*but the pack has no controlnet/);

    const ruleOnFixed = clone(readJson(SD15)) as Json & { garment: { defaults: { variants: { imageBiased: { alpha: unknown } } } } };
    ruleOnFixed.garment.defaults.variants.imageBiased.alpha = 'rule';
    expect(messages(ruleOnFixed)).toMatch(/"rule" needs the harmonized alpha rule/);
  });

  it('refuses unknown roles, bad dtypes and unknown kinds', () => {
    const sd15 = readJson(SD15) as Json & { garment: { graphs: { unet: { inputs: Json } } } };
    const oddRole = clone(sd15);
    oddRole.garment.graphs.unet.inputs.timestepCond = { name: 'timestep_cond', dtype: 'float32', shape: ['batch', 256] };
    expect(messages(oddRole)).toMatch(/unknown inputs role "timestepCond"/);

    const motif = readJson(CN_CLIP) as Json & { motif: { graphs: { text: { inputs: { ids: Json } } } } };
    const badDtype = clone(motif);
    badDtype.motif.graphs.text.inputs.ids.dtype = 'string';
    expect(messages(badDtype)).toMatch(/motif\.graphs\.text\.inputs\.ids\.dtype/);

    expect(messages({ ...motif, kind: 'lora' })).toMatch(/kind/);
  });

  it('keeps the optional vaeEncoder graph of a real recipe, and asks for its file to be listed', () => {
    // The tiny sd15-garment recipe's manifest as the assembler writes it (files filled in at assembly).
    const recipe = readJson('src/main/services/models/fixtures/tiny-sd15-garment/recipe/recipe.json') as { manifest: Json & { garment: { graphs: Json } } };
    const withEncoder = clone(readJson(SD15)) as Json & { files: { path: string }[]; garment: { graphs: Json } };
    withEncoder.garment.graphs.vaeEncoder = recipe.manifest.garment.graphs.vaeEncoder;
    withEncoder.files.push({ ...withEncoder.files[0]!, path: 'vae_encoder.onnx' });
    const parsed = PackManifestSchema.parse(withEncoder);
    if (parsed.kind !== 'garment') throw new Error('wrong kind');
    expect(parsed.garment.graphs.vaeEncoder?.outputs.latentMean.name).toBe('latent_mean');
    expect(parsed.garment.graphs.vaeEncoder?.inputs.image.shape).toEqual(['batch', 3, 'image_height', 'image_width']);

    const unlisted = clone(withEncoder);
    unlisted.files.pop();
    expect(messages(unlisted)).toMatch(/"vae_encoder.onnx" is used by the manifest but not listed in files/);
    const oddRole = clone(withEncoder) as unknown as { garment: { graphs: { vaeEncoder: { outputs: Json } } } };
    oddRole.garment.graphs.vaeEncoder.outputs = { latentSample: oddRole.garment.graphs.vaeEncoder.outputs.latentMean };
    expect(messages(oddRole)).toMatch(/vaeEncoder/);
  });
});
