import type { Db } from '../library';

/** One row of the generations table, as the other services read it. */
export interface StoredGeneration {
  id: string;
  projectId: string;
  jobId: string | null;
  flatId: string | null;
  flatVersion: number | null;
  prompt: string;
  variant: 'image-biased' | 'text-biased';
  alpha: number;
  alphaAuto: boolean;
  seed: number;
  steps: number;
  guidanceScale: number | null;
  scheduler: string;
  packId: string;
  packVersion: string;
  /** The pack's name (params.pack.name); null for renders from before it was recorded. */
  packName: string | null;
  /** The text the text encoder received (params.modelPrompt); null for renders from before it was recorded. */
  modelPrompt: string | null;
  provider: string;
  fileSha256: string;
  width: number;
  height: number;
  durationMs: number | null;
  favourite: boolean;
  createdAt: string;
  /** The fabric word the engine conditioned on (params.fabric). */
  fabric: string | null;
  /** The line-art strength (params.controlScale); null for renders from before it was recorded. */
  controlScale: number | null;
  /** The library swatch whose photo conditioned the render; null without one, or once it is deleted. */
  swatchId: string | null;
  /** How the render started (params.init): from the colorway at a strength; null from pure noise. */
  init: { kind: 'colorway'; strength: number } | null;
}

/** A render to record: everything to make it again, the swatch's id when it came from the library. */
export interface NewGeneration {
  id: string;
  projectId: string;
  jobId: string | null;
  flatId: string | null;
  flatVersion: number | null;
  prompt: string;
  negativePrompt: string;
  variant: 'image-biased' | 'text-biased';
  alpha: number;
  alphaAuto: boolean;
  seed: number;
  steps: number;
  guidanceScale: number;
  width: number;
  height: number;
  scheduler: string;
  packId: string;
  packVersion: string;
  provider: string;
  params: Record<string, unknown>;
  fileSha256: string;
  durationMs: number;
  swatchId: string | null;
  createdAt: string;
}

interface Row {
  id: string;
  project_id: string;
  job_id: string | null;
  flat_id: string | null;
  flat_version: number | null;
  prompt: string;
  variant: 'image-biased' | 'text-biased';
  alpha: number;
  alpha_auto: number;
  seed: number;
  steps: number;
  guidance_scale: number | null;
  scheduler: string;
  pack_id: string;
  pack_version: string;
  provider: string;
  file_sha256: string;
  width: number;
  height: number;
  duration_ms: number | null;
  favourite: number;
  created_at: string;
  swatch_id: string | null;
  fabric: string | null;
  control_scale: number | null;
  pack_name: string | null;
  model_prompt: string | null;
  init_kind: string | null;
  init_strength: number | null;
}

// The line-art strength, the pack's name, the model prompt and the init (kind + strength) live in
// params (no migration; renders from before they were recorded read null).
const SELECT = `
  SELECT g.id, g.project_id, g.job_id, g.flat_id, g.flat_version, g.prompt, g.variant, g.alpha, g.alpha_auto, g.seed, g.steps,
    g.guidance_scale, g.scheduler, g.pack_id, g.pack_version, g.provider, g.file_sha256, g.width, g.height, g.duration_ms,
    g.favourite, g.created_at, g.swatch_id,
    json_extract(g.params, '$.fabric') AS fabric, json_extract(g.params, '$.controlScale') AS control_scale,
    json_extract(g.params, '$.pack.name') AS pack_name, json_extract(g.params, '$.modelPrompt') AS model_prompt,
    json_extract(g.params, '$.init.kind') AS init_kind, json_extract(g.params, '$.init.strength') AS init_strength
  FROM generations g`;

const toStored = (r: Row): StoredGeneration => ({
  id: r.id,
  projectId: r.project_id,
  jobId: r.job_id,
  flatId: r.flat_id,
  flatVersion: r.flat_version,
  prompt: r.prompt,
  variant: r.variant,
  alpha: r.alpha,
  alphaAuto: r.alpha_auto === 1,
  seed: r.seed,
  steps: r.steps,
  guidanceScale: r.guidance_scale,
  scheduler: r.scheduler,
  packId: r.pack_id,
  packVersion: r.pack_version,
  packName: r.pack_name,
  modelPrompt: r.model_prompt,
  provider: r.provider,
  fileSha256: r.file_sha256,
  width: r.width,
  height: r.height,
  durationMs: r.duration_ms,
  favourite: r.favourite === 1,
  createdAt: r.created_at,
  fabric: r.fabric,
  controlScale: r.control_scale,
  swatchId: r.swatch_id,
  init: r.init_kind === 'colorway' && r.init_strength !== null ? { kind: 'colorway', strength: r.init_strength } : null,
});

/**
 * The generations table: the garment engine records renders here, the history and the tech pack read
 * them here. No other module runs SQL on it.
 */
export class GenerationStore {
  constructor(private readonly db: Db) {}

  /** Records the variants of one render together: both rows or neither. */
  insert(rows: readonly NewGeneration[]): void {
    const insert = this.db.prepare(
      `INSERT INTO generations (id, project_id, job_id, flat_id, flat_version, prompt, negative_prompt, variant, alpha, alpha_auto,
         seed, steps, guidance_scale, width, height, scheduler, pack_id, pack_version, provider, params, file_sha256, duration_ms,
         swatch_id, created_at)
       VALUES (@id, @projectId, @jobId, @flatId, @flatVersion, @prompt, @negativePrompt, @variant, @alpha, @alphaAuto,
         @seed, @steps, @guidanceScale, @width, @height, @scheduler, @packId, @packVersion, @provider, @params, @fileSha256, @durationMs,
         @swatchId, @createdAt)`,
    );
    this.db.transaction(() => {
      for (const r of rows) insert.run({ ...r, alphaAuto: r.alphaAuto ? 1 : 0, params: JSON.stringify(r.params) });
    })();
  }

  find(id: string): StoredGeneration | null {
    const row = this.db.prepare(`${SELECT} WHERE g.id = ?`).get(id) as Row | undefined;
    return row ? toStored(row) : null;
  }

  /** A project's renders, newest first, the two variants of a render side by side. */
  list(projectId: string, filter: { packId?: string | undefined; favouritesOnly?: boolean | undefined } = {}): StoredGeneration[] {
    const where = ['g.project_id = @projectId'];
    const params: Record<string, unknown> = { projectId };
    if (filter.packId) {
      params['packId'] = filter.packId;
      where.push('g.pack_id = @packId');
    }
    if (filter.favouritesOnly) where.push('g.favourite = 1');
    const rows = this.db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY g.created_at DESC, g.variant`).all(params) as Row[];
    return rows.map(toStored);
  }

  /** False when there is no such render. */
  setFavourite(id: string, favourite: boolean): boolean {
    return this.db.prepare('UPDATE generations SET favourite = ? WHERE id = ?').run(favourite ? 1 : 0, id).changes > 0;
  }

  /** False when there is no such render. The PNG stays in the file store: another row or revision may share it. */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM generations WHERE id = ?').run(id).changes > 0;
  }
}
