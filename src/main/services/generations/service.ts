import { randomUUID } from 'node:crypto';
import { AppError, type Job } from '../../../shared/contract';
import {
  GenerationQuerySchema,
  GenerationRequestSchema,
  type GenerationList,
  type GenerationRecord,
} from '../../../shared/contract/generations';
import { extractPrompt } from '../../../shared/fabric';
import { promptMatches, searchParts } from '../../../shared/fabric/search';
import type { GarmentGenerateRequest } from '../../../shared/contract/garment';
import type { Library } from '../library';
import { GenerationStore, type StoredGeneration } from './store';

/** What this service needs of the garment engine: queueing a render. */
export interface GarmentStarter {
  start(request: unknown): Job;
}

/** What this service needs of the tech pack: its document, read and saved whole. */
export interface ColorwayStore {
  get(projectId: string): { document: { colorways: { id: string; name: string; renderIds: string[] }[] } };
  /** The same without making an empty tech pack for a project that has none yet. */
  find(projectId: string): { document: { colorways: { id: string; name: string; renderIds: string[] }[] } } | null;
  save(projectId: string, document: unknown): unknown;
}

/** What this service needs of the flat store: a stored flat at its head version. */
export interface FlatSource {
  get(id: string): { flat: { id: string; projectId: string; headVersion: number }; doc: unknown };
}

/** What this service needs of the swatch library: a swatch's name, or null once it is deleted. */
export interface SwatchNames {
  find(id: string): { id: string; name: string } | null;
}

/**
 * The generation history of a project: renders with their settings, search and filters,
 * favourites, deletion, lossless originals, and choosing a render for a tech-pack colorway
 * (kept in the tech-pack document's colorway.renderIds, which is where the tech pack reads it).
 */
export class GenerationService {
  private readonly store: GenerationStore;

  constructor(
    private readonly library: Library,
    private readonly garment: GarmentStarter,
    private readonly colorways: ColorwayStore,
    private readonly flats: FlatSource,
    private readonly swatches: SwatchNames,
  ) {
    this.store = new GenerationStore(library.db);
  }

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
    // The engine reads the swatch's photo itself and records the id, so the history names this very swatch.
    return this.garment.start({
      projectId: r.projectId,
      flat,
      prompt: r.prompt,
      alpha: r.alpha,
      ...(r.swatchId ? { swatchId: r.swatchId } : {}),
      ...(r.fabric ? { fabric: r.fabric } : {}),
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
      ...(r.steps ? { steps: r.steps } : {}),
      ...(r.scheduler ? { scheduler: r.scheduler } : {}),
      ...(r.packId ? { packId: r.packId } : {}),
      ...(r.controlScale !== undefined ? { controlScale: r.controlScale } : {}),
      ...(r.init ? { init: r.init } : {}),
    });
  }

  list(query: unknown): GenerationList {
    const parsed = GenerationQuerySchema.safeParse(query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const q = parsed.data;
    this.library.projects.get(q.projectId);
    const rows = this.store.list(q.projectId, { packId: q.packId, favouritesOnly: q.favouritesOnly });
    // Text and fabric are matched here rather than in SQL: the fabric of a render without a swatch
    // comes from the prompt through the bilingual lexicon, which lives in TypeScript. A project's
    // history is thousands of rows at most.
    const chosen = this.chosenBy(q.projectId);
    const names = this.swatchNames();
    const all = rows.map((r) => this.toRecord(r, chosen, names));
    const text = q.text?.trim().toLowerCase();
    // The prompt is matched across languages through the lexicon (qipao finds 旗袍, 真丝 finds silk:
    // promptMatches), and a fabric word also finds renders of that fabric by their swatch.
    // The swatch's fabric answers a query that names a fabric and nothing else ("white silk qipao" is
    // not every silk render).
    const parts = text ? searchParts(text) : null;
    const fabricOnly = parts !== null && parts.alternatives.length + parts.words.length === 1;
    const textFabric = text && fabricOnly ? extractPrompt(text).fabric : null;
    const matches = all.filter(
      (g) =>
        (!q.fabric || g.fabric === q.fabric) &&
        (!text || promptMatches(g.prompt, text) || (textFabric !== null && g.fabric === textFabric)),
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
    return this.toRecord(row, this.chosenBy(row.projectId), this.swatchNames());
  }

  favourite(id: string, favourite: boolean): GenerationRecord {
    if (!this.store.setFavourite(id, favourite)) throw notFound(id);
    return this.get(id);
  }

  /** Deletes the row; the PNG stays in the content-addressed store (another row or revision may share it). */
  delete(id: string): void {
    const row = this.row(id);
    const shownBy = this.chosenBy(row.projectId).get(id);
    if (shownBy?.length) {
      throw new AppError(
        'CONFLICT',
        `This render is chosen for the colorway${shownBy.length > 1 ? 's' : ''} ${shownBy.map((c) => `"${c.name}"`).join(', ')}; remove it from the tech pack first.`,
      );
    }
    if (!this.store.delete(id)) throw notFound(id);
  }

  async original(id: string): Promise<{ png: Buffer; fileName: string }> {
    const row = this.row(id);
    const png = await this.library.files.read(row.fileSha256);
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
    const tp = this.colorways.get(row.projectId);
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
    this.colorways.save(row.projectId, document);
    return { colorwayId: colorway.id, colorwayName: colorway.name, renderIds: colorway.renderIds };
  }

  private row(id: string): StoredGeneration {
    const row = this.store.find(id);
    if (!row) throw notFound(id);
    return row;
  }

  /** Swatch names looked up once per call: a history of thousands of renders uses a handful of swatches. */
  private swatchNames(): (id: string) => string | null {
    const known = new Map<string, string | null>();
    return (id) => {
      if (!known.has(id)) known.set(id, this.swatches.find(id)?.name ?? null);
      return known.get(id)!;
    };
  }

  /** generation id -> the colorways showing it, read from the tech pack (only if the project has one). */
  private chosenBy(projectId: string): Map<string, { id: string; name: string }[]> {
    const out = new Map<string, { id: string; name: string }[]>();
    for (const cw of this.colorways.find(projectId)?.document.colorways ?? []) {
      for (const gid of cw.renderIds) out.set(gid, [...(out.get(gid) ?? []), { id: cw.id, name: cw.name }]);
    }
    return out;
  }

  private toRecord(r: StoredGeneration, chosen: Map<string, { id: string; name: string }[]>, swatchName: (id: string) => string | null): GenerationRecord {
    const name = r.swatchId ? swatchName(r.swatchId) : null;
    return {
      id: r.id,
      projectId: r.projectId,
      jobId: r.jobId,
      flatId: r.flatId,
      flatVersion: r.flatVersion,
      prompt: r.prompt,
      variant: r.variant,
      alpha: r.alpha,
      alphaAuto: r.alphaAuto,
      seed: r.seed,
      steps: r.steps,
      guidanceScale: r.guidanceScale,
      scheduler: r.scheduler,
      controlScale: r.controlScale,
      packId: r.packId,
      packVersion: r.packVersion,
      packName: r.packName,
      modelPrompt: r.modelPrompt,
      provider: r.provider,
      fileSha256: r.fileSha256,
      width: r.width,
      height: r.height,
      durationMs: r.durationMs,
      favourite: r.favourite,
      createdAt: r.createdAt,
      fabric: r.fabric ?? extractPrompt(r.prompt).fabric,
      swatch: r.swatchId && name !== null ? { id: r.swatchId, name } : null,
      colorways: chosen.get(r.id) ?? [],
      init: r.init,
    };
  }
}

const notFound = (id: string) => new AppError('NOT_FOUND', `The history has no render ${id}.`);
