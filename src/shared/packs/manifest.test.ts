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

describe('the sketch route (sketchEncoder + the unet inputs sketchFeatures and sketchScale)', () => {
  type Garment = Json & {
    graphs: Json & { unet: { inputs: Json } };
    preprocess: Json;
    defaults: { variants: Record<'imageBiased' | 'textBiased', Json> };
  };
  type Manifest = Json & { files: { path: string; sha256: string; size: number }[]; garment: Garment };
  const tensor = (name: string, shape: (number | string)[]) => ({ name, dtype: 'float32', shape });
  const CONTROL = { kind: 'lineart', invert: true, channels: 'RGB', layout: 'NCHW', rescale: 1 / 255, resize: 'stretch', interpolation: 'bilinear' };

  /** The golden HiGarment manifest with the whole route added, as export.py writes it. */
  function withSketch(): Manifest {
    const m = clone(readJson(HIGARMENT)) as Manifest;
    m.garment.graphs.sketchEncoder = {
      file: 'sketch_encoder.onnx',
      inputs: { lineArt: tensor('line_art', ['batch', 3, 'image_height', 'image_width']) },
      outputs: { sketchFeatures: tensor('sketch_features', ['batch', 8, 'feature_height', 'feature_width']) },
    };
    m.garment.graphs.unet.inputs.sketchFeatures = tensor('sketch_features', ['batch', 8, 'height', 'width']);
    m.garment.graphs.unet.inputs.sketchScale = tensor('sketch_scale', ['batch']);
    m.garment.preprocess.control = CONTROL;
    m.garment.defaults.variants.imageBiased.sketchScale = 1;
    m.garment.defaults.variants.textBiased.sketchScale = 0.3;
    m.files.push({ ...m.files[0]!, path: 'sketch_encoder.onnx' });
    return m;
  }

  it('validates a pack with the whole route, and reads its roles and per-variant scales', () => {
    const parsed = PackManifestSchema.parse(withSketch());
    if (parsed.kind !== 'garment') throw new Error('wrong kind');
    expect(parsed.garment.graphs.sketchEncoder?.outputs.sketchFeatures.name).toBe('sketch_features');
    expect(parsed.garment.graphs.unet.inputs.sketchScale?.shape).toEqual(['batch']);
    expect(parsed.garment.defaults.variants.textBiased.sketchScale).toBe(0.3);
    // The route is optional: the packs without it keep validating (the table test above).
    expect(PackManifestSchema.parse(readJson(HIGARMENT)).kind).toBe('garment');
  });

  it('needs the unet to take both sketchFeatures and sketchScale when there is a sketchEncoder', () => {
    for (const role of ['sketchFeatures', 'sketchScale']) {
      const m = withSketch();
      delete m.garment.graphs.unet.inputs[role];
      expect(messages(m)).toMatch(/garment\.graphs\.unet\.inputs: a pack with a sketchEncoder needs a unet that takes sketchFeatures and sketchScale/);
    }
  });

  it('refuses the unet sketch inputs without a sketchEncoder', () => {
    const m = withSketch();
    delete m.garment.graphs.sketchEncoder;
    delete m.garment.defaults.variants.imageBiased.sketchScale;
    delete m.garment.defaults.variants.textBiased.sketchScale;
    expect(messages(m)).toMatch(/the unet takes sketchFeatures or sketchScale but the pack has no sketchEncoder/);
    delete m.garment.graphs.unet.inputs.sketchFeatures;
    expect(messages(m)).toMatch(/no sketchEncoder \(they come together\)/);
  });

  it('needs preprocess.control for the sketch encoder', () => {
    const m = withSketch();
    delete m.garment.preprocess.control;
    expect(messages(m)).toMatch(/garment\.preprocess\.control: a pack with a sketchEncoder needs preprocess\.control/);
  });

  it('takes a variant sketchScale only with a sketchEncoder, and only over 0..2', () => {
    const noRoute = clone(readJson(HIGARMENT)) as Manifest;
    noRoute.garment.defaults.variants.textBiased.sketchScale = 0.3;
    expect(messages(noRoute)).toMatch(/garment\.defaults\.variants\.textBiased\.sketchScale: a sketchScale needs a sketchEncoder/);

    const tooStrong = withSketch();
    tooStrong.garment.defaults.variants.imageBiased.sketchScale = 2.5;
    expect(messages(tooStrong)).toMatch(/garment\.defaults\.variants\.imageBiased\.sketchScale/);
  });

  it('asks for the sketch encoder file to be listed, and refuses odd roles on it', () => {
    const unlisted = withSketch();
    unlisted.files.pop();
    expect(messages(unlisted)).toMatch(/"sketch_encoder.onnx" is used by the manifest but not listed in files/);
    const oddRole = withSketch() as unknown as { garment: { graphs: { sketchEncoder: { inputs: Json } } } };
    oddRole.garment.graphs.sketchEncoder.inputs = { controlImage: tensor('line_art', ['batch', 3, 64, 64]) };
    expect(messages(oddRole)).toMatch(/sketchEncoder\.inputs\.lineArt/);
  });
});
