import { randomUUID } from 'node:crypto';
import { AppError, type Job } from '../../../shared/contract';
import {
  GenerationQuerySchema,
  GenerationRequestSchema,
  type GenerationList,
  type GenerationRecord,
} from '../../../shared/contract/generations';
import { extractPrompt } from '../../../shared/fabric';
import type { GarmentGenerateRequest } from '../../../shared/contract/garment';
import type { Library } from '../library';

/** What this service needs of the garment engine: queueing a render. */
export interface GarmentStarter {
  start(request: unknown): Job;
}

/** What this service needs of the tech pack: its document, read and saved whole. */
export interface ColorwayStore {
  get(projectId: string): { document: { colorways: { id: string; name: string; renderIds: string[] }[] } };
  save(projectId: string, document: unknown): unknown;
}

/** What this service needs of the flat store: a stored flat at its head version. */
export interface FlatSource {
  get(id: string): { flat: { id: string; projectId: string; headVersion: number }; doc: unknown };
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
  fabric: string | null;
  control_scale: number | null;
  swatch_id: string | null;
  swatch_name: string | null;
}

// The swatch is found through its photo: the engine records the basename of the swatch file it read,
// and a library file's basename is its sha256, so no extra column is needed to know the swatch.
// The line-art strength lives in params too (no migration; renders from before it was recorded read null).
const SELECT = `
  SELECT g.*, json_extract(g.params, '$.fabric') AS fabric, json_extract(g.params, '$.controlScale') AS control_scale,
    s.id AS swatch_id, s.name AS swatch_name
  FROM generations g
  LEFT JOIN swatches s ON s.rowid = (
    SELECT s2.rowid FROM swatches s2 WHERE s2.image_sha256 = json_extract(g.params, '$.swatch') ORDER BY s2.created_at LIMIT 1
  )`;

/**
 * The generation history of a project: renders with their settings, search and filters,
 * favourites, deletion, lossless originals, and choosing a render for a tech-pack colorway
 * (kept in the tech-pack document's colorway.renderIds, which is where the tech pack reads it).
 */
export class GenerationService {
  constructor(
    private readonly library: Library,
    private readonly garment: GarmentStarter,
    private readonly colorways: ColorwayStore,
    private readonly flats: FlatSource,
  ) {}

  /** Queues a garment.generate job from library references (stored flat, library swatch). */
  generate(request: unknown): Job {
    const parsed = GenerationRequestSchema.safeParse(request);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const r = parsed.data;
    this.library.projects.get(r.projectId);
    let flat: GarmentGenerateRequest['flat'];
    if ('flatId' in r.flat) {
      const stored = this.flats.get(r.flat.flatId);
      if (stored.flat.projectId !== r.projectId) throw new AppError('INVALID_INPUT', `The flat ${r.flat.flatId} belongs to another project.`);
      flat = { document: stored.doc, flatId: stored.flat.id, ...(stored.flat.headVersion > 0 ? { flatVersion: stored.flat.headVersion } : {}) };
    } else {
      flat = { document: r.flat.document };
    }
    let swatchPath: string | undefined;
    if (r.swatchId) {
      const row = this.library.db.prepare('SELECT name, image_sha256 FROM swatches WHERE id = ?').get(r.swatchId) as
        | { name: string; image_sha256: string | null }
        | undefined;
      if (!row) throw new AppError('NOT_FOUND', `The library has no swatch ${r.swatchId}.`);
      if (!row.image_sha256) throw new AppError('INVALID_INPUT', `The swatch "${row.name}" has no photo to render with.`);
      swatchPath = this.library.files.path(row.image_sha256);
    }
    return this.garment.start({
      projectId: r.projectId,
      flat,
      prompt: r.prompt,
      alpha: r.alpha,
      ...(swatchPath ? { swatchPath } : {}),
      ...(r.fabric ? { fabric: r.fabric } : {}),
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.steps ? { steps: r.steps } : {}),
      ...(r.scheduler ? { scheduler: r.scheduler } : {}),
      ...(r.packId ? { packId: r.packId } : {}),
      ...(r.controlScale !== undefined ? { controlScale: r.controlScale } : {}),
    });
  }

  list(query: unknown): GenerationList {
    const parsed = GenerationQuerySchema.safeParse(query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const q = parsed.data;
    this.library.projects.get(q.projectId);
    const where: string[] = ['g.project_id = @projectId'];
    const params: Record<string, unknown> = { projectId: q.projectId };
    if (q.packId) {
      params['packId'] = q.packId;
      where.push('g.pack_id = @packId');
    }
    if (q.favouritesOnly) where.push('g.favourite = 1');
    const db = this.library.db;
    const rows = db.prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY g.created_at DESC, g.variant`).all(params) as Row[];
    // Text and fabric are matched here rather than in SQL: the fabric of a render without a swatch
    // comes from the prompt through the bilingual lexicon, which lives in TypeScript. A project's
    // history is thousands of rows at most.
    const chosen = this.chosenBy(q.projectId);
    const all = rows.map((r) => this.toRecord(r, chosen));
    const text = q.text?.trim().toLowerCase();
    // A fabric word in either language ("denim", "牛仔布", "jeans") also finds renders of that fabric,
    // so an English search finds a Chinese prompt about the same cloth.
    const textFabric = text ? extractPrompt(text).fabric : null;
    const matches = all.filter(
      (g) =>
        (!q.fabric || g.fabric === q.fabric) &&
        (!text || g.prompt.toLowerCase().includes(text) || (textFabric !== null && g.fabric === textFabric)),
    );
    const facets = q.packId || q.favouritesOnly ? this.list({ projectId: q.projectId, limit: 1 }) : null;
    const fabrics = facets?.fabrics ?? [...new Set(all.map((g) => g.fabric).filter((f): f is string => f !== null))].sort();
    const packs =
      facets?.packs ??
      [...new Map(all.map((g) => [`${g.packId}@${g.packVersion}`, { id: g.packId, version: g.packVersion }])).values()].sort(
        (a, b) => a.id.localeCompare(b.id) || a.version.localeCompare(b.version),
      );
    return { items: matches.slice(q.offset, q.offset + q.limit), total: matches.length, fabrics, packs };
  }

  get(id: string): GenerationRecord {
    const row = this.row(id);
    return this.toRecord(row, this.chosenBy(row.project_id));
  }

  favourite(id: string, favourite: boolean): GenerationRecord {
    this.row(id);
    this.library.db.prepare('UPDATE generations SET favourite = ? WHERE id = ?').run(favourite ? 1 : 0, id);
    return this.get(id);
  }

  /** Deletes the row; the PNG stays in the content-addressed store (another row or revision may share it). */
  delete(id: string): void {
    const row = this.row(id);
    const shownBy = this.chosenBy(row.project_id).get(id);
    if (shownBy?.length) {
      throw new AppError(
        'CONFLICT',
        `This render is chosen for the colorway${shownBy.length > 1 ? 's' : ''} ${shownBy.map((c) => `"${c.name}"`).join(', ')}; remove it from the tech pack first.`,
      );
    }
    this.library.db.prepare('DELETE FROM generations WHERE id = ?').run(id);
  }

  async original(id: string): Promise<{ png: Buffer; fileName: string }> {
    const row = this.row(id);
    const png = await this.library.files.read(row.file_sha256);
    const stem = row.prompt.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 40) || 'render';
    return { png, fileName: `${stem}-${row.variant}-seed${row.seed}.png` };
  }

  /** Adds the render to a colorway's chosen renders (first place: it becomes the colorway's picture). */
  markForColorway(input: { id: string; colorwayId?: string | undefined; colorwayName?: string | undefined }): {
    colorwayId: string;
    colorwayName: string;
    renderIds: string[];
  } {
    const row = this.row(input.id);
    const tp = this.colorways.get(row.project_id);
    const document = structuredClone(tp.document);
    let colorway = input.colorwayId ? document.colorways.find((c) => c.id === input.colorwayId) : undefined;
    if (input.colorwayId && !colorway) throw new AppError('NOT_FOUND', `The tech pack has no colorway ${input.colorwayId}.`);
    if (!colorway) {
      const name = input.colorwayName ?? `Colorway ${document.colorways.length + 1}`;
      colorway = document.colorways.find((c) => c.name === name);
      if (!colorway) {
        colorway = { id: `cw-${randomUUID().slice(0, 8)}`, name, renderIds: [] };
        document.colorways.push(colorway);
      }
    }
    colorway.renderIds = [input.id, ...colorway.renderIds.filter((r) => r !== input.id)];
    if (colorway.renderIds.length > 8) {
      throw new AppError('INVALID_INPUT', `The colorway "${colorway.name}" already shows 8 renders; remove one in the tech pack first.`);
    }
    // The tech pack validates the whole document; a refusal there leaves it as it was.
    this.colorways.save(row.project_id, document);
    return { colorwayId: colorway.id, colorwayName: colorway.name, renderIds: colorway.renderIds };
  }

  private row(id: string): Row {
    const row = this.library.db.prepare(`${SELECT} WHERE g.id = ?`).get(id) as Row | undefined;
    if (!row) throw new AppError('NOT_FOUND', `The history has no render ${id}.`);
    return row;
  }

  /** generation id -> the colorways showing it, read from the tech pack (only if the project has one). */
  private chosenBy(projectId: string): Map<string, { id: string; name: string }[]> {
    const out = new Map<string, { id: string; name: string }[]>();
    const has = this.library.db.prepare('SELECT 1 FROM techpacks WHERE project_id = ? LIMIT 1').get(projectId);
    if (!has) return out;
    for (const cw of this.colorways.get(projectId).document.colorways) {
      for (const gid of cw.renderIds) out.set(gid, [...(out.get(gid) ?? []), { id: cw.id, name: cw.name }]);
    }
    return out;
  }

  private toRecord(r: Row, chosen: Map<string, { id: string; name: string }[]>): GenerationRecord {
    return {
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
      controlScale: r.control_scale,
      packId: r.pack_id,
      packVersion: r.pack_version,
      provider: r.provider,
      fileSha256: r.file_sha256,
      width: r.width,
      height: r.height,
      durationMs: r.duration_ms,
      favourite: r.favourite === 1,
      createdAt: r.created_at,
      fabric: r.fabric ?? extractPrompt(r.prompt).fabric,
      swatch: r.swatch_id && r.swatch_name !== null ? { id: r.swatch_id, name: r.swatch_name } : null,
      colorways: chosen.get(r.id) ?? [],
    };
  }
}
