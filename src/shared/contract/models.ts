import { z } from 'zod';
import { PackKind, Sha256 } from '../packs/manifest-base';
import { channel } from './channel';
import { JobId, JobSchema } from './jobs';

export const PackId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a pack id is 2-64 characters of a-z, 0-9, ".", "_" or "-"');

/** What a pack is used for in the studio, derived from its kind. */
export const PACK_FEATURES = ['garment-generation', 'motif-search'] as const;
export const PackFeature = z.enum(PACK_FEATURES);

/** One thing wrong with a pack folder, against its manifest. */
export const PackProblemSchema = z.object({
  path: z.string(),
  issue: z.enum(['manifest', 'missing', 'extra', 'size', 'sha256', 'not-a-file']),
  message: z.string(),
});
export type PackProblem = z.infer<typeof PackProblemSchema>;

export const PackVerificationSchema = z.object({
  /** `unverified`: files are present with the right sizes, but their hashes were not checked since they last changed. */
  status: z.enum(['verified', 'unverified', 'invalid']),
  checkedAt: z.string().nullable(),
  problems: z.array(PackProblemSchema),
});

export const InstalledPackSchema = z.object({
  id: z.string(),
  version: z.string(),
  kind: PackKind,
  name: z.string(),
  licence: z.string(),
  /** `bundled` packs ship read-only with the app; `library` packs live in <library>/models. */
  source: z.enum(['library', 'bundled']),
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** Execution providers the manifest declares, or null when it declares none. */
  providers: z.array(z.string()).nullable(),
  features: z.array(PackFeature),
  /** A garment pack's line-art ControlNet and its default strength; null for a pack without one. */
  lineArtControl: z.object({ defaultScale: z.number() }).nullable(),
  /** Whether a garment pack has the optional VAE encoder, so a render can start from the colorway; absent means no. */
  startsFromImage: z.boolean().optional(),
  /** The width a garment pack draws at by default, in pixels; absent for other kinds. */
  imageWidth: z.number().int().positive().optional(),
  isDefault: z.boolean(),
  /** How many running jobs hold a lease on it; a pack in use cannot be removed. */
  inUse: z.number().int().nonnegative(),
  verification: PackVerificationSchema,
});
export type InstalledPack = z.infer<typeof InstalledPackSchema>;

export const VerifyResultSchema = z.object({ id: z.string(), ok: z.boolean(), problems: z.array(PackProblemSchema) });
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

const HttpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'only http and https URLs');

/** resources/models/catalogue.json: the packs the studio knows how to download. */
export const CatalogueEntrySchema = z
  .object({
    id: PackId,
    kind: PackKind,
    name: z.string().min(1),
    version: z.string().min(1).max(40),
    licence: z.string().min(1),
    description: z.string().optional(),
    /** The manifest; its files resolve relative to this URL. Its sha256 list is the trust root for the files. */
    manifestUrl: HttpUrl,
    /** When given, the downloaded manifest must hash to this, which pins the whole pack to the catalogue. */
    manifestSha256: Sha256.optional(),
    /** Total size of the pack's files, for display before the manifest is fetched. */
    sizeBytes: z.number().int().nonnegative().optional(),
  })
  .strict();
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

/** How a downloaded recipe file is trusted: a sha256 from a published listing, or the one the server states at first download. */
export const SourceVerify = z.enum(['sha256', 'server-sha256']);

export const SourceLicenceSchema = z
  .object({
    /** What `--accept-licence` names. */
    id: z.string().regex(/^[a-z0-9][a-z0-9.+-]{1,63}$/, 'a licence id is lowercase letters, digits, ".", "+" or "-"'),
    name: z.string().min(1),
    url: HttpUrl.optional(),
    /** OpenRAIL licences carry use restrictions the technician must agree to: their download refuses without an explicit acceptance. */
    mustAccept: z.boolean(),
  })
  .strict();
export type SourceLicence = z.infer<typeof SourceLicenceSchema>;

export const RecipeFileSchema = z
  .object({
    /** The recipe's source role this file fills (recipe.json `sources`), or `pack-file` for a file the pack carries as it is. */
    role: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/, 'a role is letters, digits, "_" or "-"'),
    name: z.string().min(1),
    url: HttpUrl,
    /** Published byte size; null where no listing gives one (the server's Content-Length is then authoritative). */
    sizeBytes: z.number().int().positive().nullable(),
    verify: SourceVerify,
    /** With `verify: "sha256"`: the published hash. With `server-sha256`: null until the library records the server's. */
    sha256: Sha256.nullable(),
    /** Where the size and hash were taken from. */
    publishedFrom: z.string().min(1),
    licence: SourceLicenceSchema,
    /** The publisher's page for the file. */
    publisher: HttpUrl,
    note: z.string().optional(),
  })
  .strict()
  .refine((f) => (f.verify === 'sha256') === (f.sha256 !== null), {
    message: 'a file verified by "sha256" gives its published sha256; a "server-sha256" file gives none (the first download records the server\'s)',
    path: ['sha256'],
  });
export type RecipeFile = z.infer<typeof RecipeFileSchema>;

const CatalogueRecipeFields = z
  .object({
    /** The id of resources/models/recipes/<id>/recipe.json. */
    id: PackId,
    kind: PackKind,
    name: z.string().min(1),
    description: z.string().optional(),
    files: z.array(RecipeFileSchema).min(1),
    /** Sum of the files' published sizes; a lower bound while `sizesComplete` is false. */
    downloadBytes: z.number().int().nonnegative(),
    /** Bytes of the graphs' external-data files the assembler writes (the tensor maps' dataBytes). */
    packDataBytes: z.number().int().nonnegative(),
    /** Free disk space assembly needs: the downloads plus the pack's graph data, both on disk until the pack is installed. */
    assemblyBytes: z.number().int().nonnegative(),
    /** False when a file's size is unpublished, so both totals are lower bounds. */
    sizesComplete: z.boolean(),
  })
  .strict();

export const CatalogueRecipeSchema = CatalogueRecipeFields.superRefine((r, ctx) => {
    // Totals written by hand drift from their files; a catalogue whose sums do not add up is refused.
    const known = r.files.reduce((a, f) => a + (f.sizeBytes ?? 0), 0);
    if (r.downloadBytes !== known) ctx.addIssue({ code: 'custom', path: ['downloadBytes'], message: `is ${r.downloadBytes}, but the files' sizes add up to ${known}` });
    if (r.assemblyBytes !== known + r.packDataBytes)
      ctx.addIssue({ code: 'custom', path: ['assemblyBytes'], message: `is ${r.assemblyBytes}, but downloads plus pack data are ${known + r.packDataBytes}` });
    const complete = r.files.every((f) => f.sizeBytes !== null);
    if (r.sizesComplete !== complete) ctx.addIssue({ code: 'custom', path: ['sizesComplete'], message: `must be ${complete}` });
    const roles = r.files.map((f) => f.role).filter((role) => role !== 'pack-file');
    if (new Set(roles).size !== roles.length) ctx.addIssue({ code: 'custom', path: ['files'], message: 'each source role is filled by one file' });
  });
export type CatalogueRecipe = z.infer<typeof CatalogueRecipeSchema>;

export const CatalogueSchema = z
  .object({
    catalogueVersion: z.literal(1),
    packs: z.array(CatalogueEntrySchema),
    /** Recipes whose public files the studio can download and assemble into packs (tools/models/RECIPES.md). */
    recipes: z.array(CatalogueRecipeSchema).default([]),
  })
  .strict()
  .refine((c) => new Set(c.packs.map((p) => p.id)).size === c.packs.length, 'pack ids in a catalogue must be unique')
  .refine((c) => new Set(c.recipes.map((r) => r.id)).size === c.recipes.length, 'recipe ids in a catalogue must be unique');
export type Catalogue = z.infer<typeof CatalogueSchema>;

export const CatalogueItemSchema = CatalogueEntrySchema.extend({
  /** The version installed in the library, if any. */
  installedVersion: z.string().nullable(),
  /** Bytes already downloaded into a paused or interrupted download. */
  partialBytes: z.number().int().nonnegative(),
  /** The running or queued download job of this pack, if any. */
  activeJobId: JobId.nullable(),
});
export type CatalogueItem = z.infer<typeof CatalogueItemSchema>;

/** A download job carries its catalogue entry, so a resume fetches exactly what was asked for. */
export const DownloadParamsSchema = z.object({ id: PackId, entry: CatalogueEntrySchema }).strict();
export type DownloadParams = z.infer<typeof DownloadParamsSchema>;

export const DOWNLOAD_JOB_KIND = 'models.download';

/** A catalogue recipe with its state in this library. */
export const CatalogueRecipeItemSchema = CatalogueRecipeFields.extend({
  /** The pack this recipe makes, when it is installed (the recipe manifest's id); null otherwise. */
  installedPackId: z.string().nullable(),
  /** The queued or running `models.assemble` job of this recipe (not one assembling an own checkpoint), if any. */
  activeJobId: JobId.nullable(),
});
export type CatalogueRecipeItem = z.infer<typeof CatalogueRecipeItemSchema>;

/**
 * Downloading a recipe's public files and assembling them into a pack runs as this job kind. Its
 * progress counts bytes across the phases: `step` bytes done of `total` (the downloads, then the
 * graphs' tensor bytes written), `fraction` = step / total, and `message` names the phase and the
 * file ("downloading tiny checkpoint", "assembling unet.onnx.data", "installing jinxiu-sd15-garment").
 * jobs.cancel stops it and discards the assembly's staging; models.pause stops it and keeps what is
 * done, so installing the recipe again resumes (downloads from their partial files, graphs already
 * written and verified are not written again).
 */
export const ASSEMBLE_JOB_KIND = 'models.assemble';

export const OwnCheckpointSchema = z
  .object({
    /** The technician's SD 1.5 .safetensors file (absolute). */
    checkpoint: z.string().min(1),
    /** The pack it becomes: `own-<name made safe>`. */
    id: PackId,
    name: z.string().min(1),
  })
  .strict();

export const AssembleParamsSchema = z
  .object({
    recipeId: PackId,
    acceptedLicences: z.array(z.string()),
    own: OwnCheckpointSchema.optional(),
    /** A catalogue or recipe folders other than the app's (`jinxiu ... --catalogue/--recipes`); kept so a resume uses the same. */
    cataloguePath: z.string().optional(),
    recipesDir: z.string().optional(),
  })
  .strict();
export type AssembleParams = z.infer<typeof AssembleParamsSchema>;

/** A finished `models.assemble` job's `result`. */
export const AssembleResultSchema = z
  .object({
    packId: z.string(),
    kind: PackKind,
    /** The default pack of this kind is a bundled (demonstration) pack: offer the new one as the default. */
    offerDefault: z.boolean(),
    /** A motif pack, and the motif library has images indexed with another pack: offer the re-index (motifs.reindex). */
    offerReindex: z.boolean(),
  })
  .strict();
export type AssembleResult = z.infer<typeof AssembleResultSchema>;

/** Licence ids the technician accepted, as `--accept-licence` names them. */
const LicenceIds = z.array(z.string().min(1).max(64)).max(32);

export const modelChannels = {
  list: channel('Installed and bundled packs, with their verification state.', z.object({}).strict(), z.array(InstalledPackSchema)),
  verify: channel('Hash every file of a pack against its manifest.', z.object({ id: PackId }).strict(), VerifyResultSchema),
  installFromPath: channel(
    'Install a pack from a folder or a .zip; it is checked completely before it enters the models folder.',
    z.object({ path: z.string().min(1) }).strict(),
    InstalledPackSchema,
  ),
  remove: channel('Remove a pack from the library (refused while a job uses it).', z.object({ id: PackId }).strict(), z.object({ removed: z.literal(true) })),
  setDefault: channel('Make a pack the default of its kind.', z.object({ id: PackId }).strict(), InstalledPackSchema),
  catalogue: channel('Packs that can be downloaded, with their download state.', z.object({}).strict(), z.array(CatalogueItemSchema)),
  catalogueRecipes: channel(
    'Recipes that can be downloaded and assembled into packs: their public files (URL, size, hash or how it is verified, licence, publisher), the disk space assembly needs, the pack installed from each and its running job.',
    z.object({}).strict(),
    z.array(CatalogueRecipeItemSchema),
  ),
  installRecipe: channel(
    'Download a recipe\'s public files and assemble them into a pack as a `models.assemble` job (or resume it); asking again while it runs returns the same job. Refused (INVALID_INPUT naming them, nothing downloaded) while a licence that must be accepted is not in acceptLicences.',
    z.object({ id: PackId, acceptLicences: LicenceIds }).strict(),
    JobSchema,
  ),
  installCheckpoint: channel(
    "Assemble the technician's own SD 1.5 .safetensors checkpoint (a path chosen with system.choosePath) with the catalogue's IP-Adapter, image encoder and ControlNet as a `models.assemble` job; pickles, SDXL/SD 2/Flux checkpoints and broken headers are refused before anything is downloaded. acceptLicences: the licences of the catalogue files it downloads (the ControlNet's OpenRAIL).",
    z.object({ path: z.string().min(1), name: z.string().min(1).max(64).optional(), acceptLicences: LicenceIds.optional() }).strict(),
    JobSchema,
  ),
  download: channel(
    'Download (or resume) a pack from the catalogue as a job; asking again while it runs returns the same job.',
    z.object({ id: PackId }).strict(),
    JobSchema,
  ),
  pause: channel(
    'Stop a download or an assembly but keep what was done, so `download` / `installRecipe` / `installCheckpoint` resumes it.',
    z.object({ jobId: JobId }).strict(),
    JobSchema,
  ),
  jobs: channel(
    'Download and assembly jobs (models.download, models.assemble), newest first; cancel one with jobs.cancel (which discards its partial files).',
    z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.array(JobSchema),
  ),
};
