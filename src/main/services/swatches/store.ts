import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/contract';
import {
  SwatchBomSchema,
  SwatchGeometrySchema,
  SwatchImportSchema,
  SwatchQuerySchema,
  SwatchUpdateSchema,
  type DominantColour,
  type Swatch,
  type SwatchBom,
  type SwatchGeometryInput,
  type SwatchImport,
  type SwatchQuery,
} from '../../../shared/contract/swatches';
import {
  COLOURS,
  FABRICS,
  colourEntry,
  deltaE76,
  extractPrompt,
  hexToLab,
  isHex,
  roundLab,
  type ColourId,
  type FabricId,
  type Lab,
  type SwatchCandidate,
} from '../../../shared/fabric';
import { nowIso, type Db, type FileStore } from '../library';
import { DEFAULT_SWATCH_LIMITS, readSwatchPhoto, type SwatchLimits } from './decode';
import { processSwatch, type ProcessedSwatch } from './process';

/** The part of the library the swatch service needs. */
export interface SwatchLibraryHost {
  db: Db;
  files: FileStore;
  projects: { get(id: string): unknown };
}

interface SwatchRow {
  id: string;
  name: string;
  category: string | null;
  image_sha256: string;
  tile_sha256: string;
  width_cm: number | null;
  height_cm: number | null;
  attributes: string;
  created_at: string;
  updated_at: string;
}

/** What swatches.attributes holds besides the columns. */
interface StoredAttributes {
  bom: SwatchBom;
  geometry: { rotateDeg: number; crop: Swatch['geometry']['crop']; tileMethod: Swatch['geometry']['tileMethod'] };
  dominantColours: DominantColour[];
  previewSha256: string;
  image: Swatch['image'];
  tile: Swatch['tile'];
}

/** Colours nearer than this (CIE76) to the one searched for count as that colour. */
const COLOUR_MATCH_DELTA_E = 25;
/** Dominant colours covering less of the swatch than this do not make it "a navy swatch". */
const COLOUR_MIN_SHARE = 0.15;

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const message = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    throw new AppError('INVALID_INPUT', message, { issues: result.error.issues });
  }
  return result.data;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The swatch library: fabric photos turned into seamless tiles with the facts a BOM needs, shared by
 * all projects. Photos, tiles and repeat previews live in the content-addressed file store; the row
 * holds names, category, real size and a JSON of BOM attributes, geometry and dominant colours.
 */
export class SwatchLibrary {
  constructor(
    private readonly host: SwatchLibraryHost,
    private readonly limits: SwatchLimits = DEFAULT_SWATCH_LIMITS,
  ) {}

  /**
   * Imports a photo. Every check (file, format, size, pixels, crop, BOM) runs before anything is stored,
   * so a refused photo changes nothing.
   */
  async import(request: SwatchImport): Promise<Swatch> {
    const input = parse(SwatchImportSchema, request);
    if (input.projectId) this.host.projects.get(input.projectId);
    // A dropped or picked photo arrives as base64; it takes the same decoder (and the same size check,
    // on the decoded byte length, before any image decoding) as a photo read from a path.
    const source = 'file' in input ? Buffer.from(input.file.bytesBase64, 'base64') : input.path;
    const sourceName = 'file' in input ? input.file.name : input.path;
    const photo = await readSwatchPhoto(source, this.limits, path.basename(sourceName));
    const geometry = SwatchGeometrySchema.parse(input.geometry ?? {});
    const processed = await processSwatch(photo.image, geometry);
    const fileName = path.basename(sourceName).replace(/\.[^.]+$/, '');
    const name = input.name ?? fileName;
    // A swatch named "Washed denim" or a file named "black_denim.jpg" is filed as denim unless the
    // technician says otherwise.
    const category: FabricId | null =
      input.category !== undefined ? input.category : (extractPrompt(name).fabric ?? extractPrompt(fileName).fabric);
    const bom = this.completeBom(input.bom ? parse(SwatchBomSchema, input.bom) : SwatchBomSchema.parse({}), processed);

    const id = randomUUID();
    // Staged: a full disk at the tile or the row takes out the photo stored before it.
    await this.host.files.staged(async (files) => {
      const image = await files.put(photo.bytes, photo.mime);
      const tile = await files.put(processed.tile.png, 'image/png');
      const preview = await files.put(processed.preview.png, 'image/png');
      const now = nowIso();
      const attributes: StoredAttributes = {
        bom,
        geometry: { rotateDeg: geometry.rotateDeg, crop: processed.crop, tileMethod: geometry.tileMethod },
        dominantColours: processed.dominantColours,
        previewSha256: preview.sha256,
        image: { width: photo.image.width, height: photo.image.height, format: photo.format },
        tile: { width: processed.tile.width, height: processed.tile.height },
      };
      this.host.db.transaction(() => {
        this.host.db
          .prepare(
            `INSERT INTO swatches (id, name, category, image_sha256, tile_sha256, width_cm, height_cm, attributes, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, name, category, image.sha256, tile.sha256, geometry.widthCm, geometry.heightCm, JSON.stringify(attributes), now, now);
        if (input.projectId) {
          this.host.db.prepare('INSERT INTO project_swatches (project_id, swatch_id) VALUES (?, ?)').run(input.projectId, id);
        }
      })();
    });
    return this.get(id);
  }

  get(id: string): Swatch {
    const swatch = this.find(id);
    if (!swatch) throw new AppError('NOT_FOUND', `The library has no swatch ${id}.`);
    return swatch;
  }

  /** Null for a swatch that is not (or no longer) in the library: a render or tech pack may outlive it. */
  find(id: string): Swatch | null {
    const row = this.host.db.prepare('SELECT * FROM swatches WHERE id = ?').get(id) as SwatchRow | undefined;
    return row ? this.toSwatch(row) : null;
  }

  /** The swatches a project uses, ordered by id so a tech pack lists them the same way at every revision. */
  idsInProject(projectId: string): string[] {
    return this.host.db.prepare('SELECT swatch_id FROM project_swatches WHERE project_id = ? ORDER BY swatch_id').pluck().all(projectId) as string[];
  }

  /** Search by free text (a fabric or colour word in either language narrows by it), category, colour, supplier, project. */
  list(request: SwatchQuery = {}): Swatch[] {
    const q = parse(SwatchQuerySchema, request);
    const where: string[] = [];
    const args: unknown[] = [];
    let category: FabricId | undefined = q.category;
    let colour: Lab | null = q.colour ? this.colourTarget(q.colour) : null;
    const text = q.query?.trim();
    if (text) {
      const asked = extractPrompt(text);
      if (asked.fabric || asked.colours.length > 0) {
        category ??= asked.fabric ?? undefined;
        if (!colour && asked.colours[0]) colour = hexToLab(colourEntry(asked.colours[0]).hex);
      } else {
        const like = `%${escapeLike(text)}%`;
        where.push(
          `(s.name LIKE ? ESCAPE '\\' OR json_extract(s.attributes, '$.bom.supplier') LIKE ? ESCAPE '\\' OR json_extract(s.attributes, '$.bom.reference') LIKE ? ESCAPE '\\')`,
        );
        args.push(like, like, like);
      }
    }
    if (category) {
      where.push('s.category = ?');
      args.push(category);
    }
    if (q.supplier?.trim()) {
      where.push(`json_extract(s.attributes, '$.bom.supplier') LIKE ? ESCAPE '\\'`);
      args.push(`%${escapeLike(q.supplier.trim())}%`);
    }
    if (q.projectId) {
      where.push('EXISTS (SELECT 1 FROM project_swatches ps WHERE ps.swatch_id = s.id AND ps.project_id = ?)');
      args.push(q.projectId);
    }
    const sql = `SELECT s.* FROM swatches s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.updated_at DESC, s.name, s.id`;
    let swatches = (this.host.db.prepare(sql).all(...args) as SwatchRow[]).map((row) => this.toSwatch(row));
    if (colour) {
      const target = colour;
      swatches = swatches
        .map((s) => ({ s, d: colourDistance(s, target) }))
        .filter(({ d }) => d <= COLOUR_MATCH_DELTA_E)
        .sort((p, r) => p.d - r.d)
        .map(({ s }) => s);
    }
    return swatches.slice(0, q.limit);
  }

  update(request: z.input<typeof SwatchUpdateSchema>): Swatch {
    const input = parse(SwatchUpdateSchema, request);
    const current = this.get(input.id);
    const attributes = this.attributesOf(input.id);
    if (input.bom) attributes.bom = this.withLab(input.bom);
    this.host.db
      .prepare('UPDATE swatches SET name = ?, category = ?, attributes = ?, updated_at = ? WHERE id = ?')
      .run(input.name ?? current.name, input.category !== undefined ? input.category : current.category, JSON.stringify(attributes), nowIso(), input.id);
    return this.get(input.id);
  }

  /** Straighten, crop, size and tile the stored photo again; the row changes only if all of it succeeds. */
  async reprocess(id: string, geometryInput: SwatchGeometryInput): Promise<Swatch> {
    const geometry = parse(SwatchGeometrySchema, geometryInput);
    const current = this.get(id);
    const bytes = await this.host.files.read(current.imageSha256);
    const photo = await readSwatchPhoto(bytes, this.limits);
    const processed = await processSwatch(photo.image, geometry);
    await this.host.files.staged(async (files) => {
      const tile = await files.put(processed.tile.png, 'image/png');
      const preview = await files.put(processed.preview.png, 'image/png');
      const attributes = this.attributesOf(id);
      attributes.geometry = { rotateDeg: geometry.rotateDeg, crop: processed.crop, tileMethod: geometry.tileMethod };
      attributes.dominantColours = processed.dominantColours;
      attributes.previewSha256 = preview.sha256;
      attributes.tile = { width: processed.tile.width, height: processed.tile.height };
      this.host.db
        .prepare('UPDATE swatches SET tile_sha256 = ?, width_cm = ?, height_cm = ?, attributes = ?, updated_at = ? WHERE id = ?')
        .run(tile.sha256, geometry.widthCm, geometry.heightCm, JSON.stringify(attributes), nowIso(), id);
    });
    return this.get(id);
  }

  /** Deletes the swatch and its use in every project. Its files stay: another swatch may share them. */
  delete(id: string): void {
    const result = this.host.db.prepare('DELETE FROM swatches WHERE id = ?').run(id);
    if (result.changes === 0) throw new AppError('NOT_FOUND', `The library has no swatch ${id}.`);
  }

  addToProject(id: string, projectId: string): Swatch {
    this.get(id);
    this.host.projects.get(projectId);
    this.host.db.prepare('INSERT OR IGNORE INTO project_swatches (project_id, swatch_id) VALUES (?, ?)').run(projectId, id);
    return this.get(id);
  }

  removeFromProject(id: string, projectId: string): Swatch {
    this.get(id);
    this.host.db.prepare('DELETE FROM project_swatches WHERE project_id = ? AND swatch_id = ?').run(projectId, id);
    return this.get(id);
  }

  /** The project's swatches as the prompt linker sees them, most recently changed first. */
  candidatesFor(projectId: string): SwatchCandidate[] {
    this.host.projects.get(projectId);
    return this.list({ projectId, limit: 1000 }).map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      colourHex: s.bom.colour?.hex ?? s.dominantColours[0]?.hex ?? null,
    }));
  }

  categories(): Array<{ id: FabricId; en: string; zh: string; note: string }> {
    return FABRICS.map((f) => ({ id: f.id, en: f.name.en, zh: f.name.zh, note: f.note }));
  }

  private completeBom(bom: SwatchBom, processed: ProcessedSwatch): SwatchBom {
    const withLab = this.withLab(bom);
    if (withLab.colour || processed.dominantColours.length === 0) return withLab;
    // Until the technician names it, the swatch's colour is its largest colour cluster.
    const main = processed.dominantColours[0]!;
    return { ...withLab, colour: { name: colourEntry(main.colour).name.en, hex: main.hex, lab: main.lab } };
  }

  private withLab(bom: SwatchBom): SwatchBom {
    if (!bom.colour) return bom;
    return { ...bom, colour: { ...bom.colour, lab: roundLab(hexToLab(bom.colour.hex)) } };
  }

  private colourTarget(colour: string): Lab {
    const trimmed = colour.trim();
    if (isHex(trimmed)) return hexToLab(trimmed);
    const byId = COLOURS.find((c) => c.id === trimmed.toLowerCase());
    if (byId) return hexToLab(byId.hex);
    const asked = extractPrompt(trimmed).colours[0] as ColourId | undefined;
    if (asked) return hexToLab(colourEntry(asked).hex);
    throw new AppError('INVALID_INPUT', `"${colour}" is not a colour the library knows; give a colour name or #rrggbb.`);
  }

  private attributesOf(id: string): StoredAttributes {
    const row = this.host.db.prepare('SELECT attributes FROM swatches WHERE id = ?').get(id) as { attributes: string } | undefined;
    if (!row) throw new AppError('NOT_FOUND', `The library has no swatch ${id}.`);
    return JSON.parse(row.attributes) as StoredAttributes;
  }

  private toSwatch(row: SwatchRow): Swatch {
    const a = JSON.parse(row.attributes) as StoredAttributes;
    const projectIds = (
      this.host.db.prepare('SELECT project_id FROM project_swatches WHERE swatch_id = ? ORDER BY project_id').all(row.id) as Array<{ project_id: string }>
    ).map((r) => r.project_id);
    return {
      id: row.id,
      name: row.name,
      category: (row.category as FabricId | null) ?? null,
      imageSha256: row.image_sha256,
      tileSha256: row.tile_sha256,
      previewSha256: a.previewSha256,
      image: a.image,
      tile: a.tile,
      geometry: { ...a.geometry, widthCm: row.width_cm, heightCm: row.height_cm },
      bom: a.bom,
      dominantColours: a.dominantColours,
      projectIds,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** Nearest of the swatch's declared colour and its main dominant colours to the colour searched for. */
function colourDistance(s: Swatch, target: Lab): number {
  const labs: Lab[] = [];
  if (s.bom.colour?.lab) labs.push(s.bom.colour.lab);
  for (const d of s.dominantColours) if (d.share >= COLOUR_MIN_SHARE) labs.push(d.lab);
  return labs.length ? Math.min(...labs.map((lab) => deltaE76(lab, target))) : Number.POSITIVE_INFINITY;
}
