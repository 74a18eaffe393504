import type { KeyValueStore } from '../lib/i18n';
import { readOverrides } from '../features/prompt/overrides';
import type { Overrides } from '../features/prompt/sync';
import type { FlatViewport } from '../features/editor/model/editor-memory';
import { FROM_PROMPT } from '../features/variants/garment-swatch';

/** The panels beside the canvas: the flat's layers, the prompt with Generate, swatches, motifs. */
export const DOCK_TABS = ['layers', 'generate', 'swatches', 'motifs'] as const;
export type DockTab = (typeof DOCK_TABS)[number];

/**
 * What a project keeps of the studio between visits: the prompt as typed (with the technician's
 * corrections of its fields), the render pair on show, the flat that was open, each flat's zoom and
 * pan, the panel beside the canvas, and the swatch chosen for the garment. Renders themselves live
 * in the library's history.
 */
export interface ProjectMemory {
  prompt: string;
  overrides: Overrides;
  /** The job whose pair was on show; the history holds its images. */
  shownJobId: string | null;
  openFlatId: string | null;
  /** Each flat's zoom and pan (viewport transform and the canvas size it was on) by flat id, most recently used last. */
  flatViews: Record<string, FlatViewport>;
  dockTab: DockTab;
  /** The garment's swatch beside Generate: FROM_PROMPT (''), 'none' or a swatch id. */
  garmentSwatch: string;
}

export const EMPTY_MEMORY: ProjectMemory = { prompt: '', overrides: {}, shownJobId: null, openFlatId: null, flatViews: {}, dockTab: 'layers', garmentSwatch: FROM_PROMPT };

/** A project with many flats keeps the views of the ones used last; a view is cheap to lose (it fits again). */
export const MAX_FLAT_VIEWS = 50;
const PROMPT_MAX = 4000;
const ID_MAX = 200;

export const memoryKey = (projectId: string) => `jinxiu.project.${projectId}`;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= ID_MAX;
/** A view worth restoring: a transform with a positive, bounded zoom, on a canvas of some size. */
const isView = (v: unknown): v is FlatViewport =>
  Array.isArray(v) &&
  v.length === 8 &&
  v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
  v[0] > 0 && v[0] <= 1000 && v[3] > 0 && v[3] <= 1000 && v[6] > 0 && v[7] > 0;

/** Reads what storage held, keeping every part that is sound: one bad field does not cost the rest. */
export function parseMemory(text: string | null): ProjectMemory {
  if (!text) return EMPTY_MEMORY;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return EMPTY_MEMORY;
  }
  if (typeof raw !== 'object' || raw === null) return EMPTY_MEMORY;
  const r = raw as Record<string, unknown>;
  const views: Record<string, FlatViewport> = {};
  if (typeof r.flatViews === 'object' && r.flatViews !== null) {
    const entries = Object.entries(r.flatViews as Record<string, unknown>).filter((e): e is [string, FlatViewport] => isId(e[0]) && isView(e[1]));
    for (const [id, v] of entries.slice(-MAX_FLAT_VIEWS)) views[id] = v;
  }
  return {
    prompt: typeof r.prompt === 'string' ? r.prompt.slice(0, PROMPT_MAX) : '',
    overrides: readOverrides(r.overrides),
    shownJobId: isId(r.shownJobId) ? r.shownJobId : null,
    openFlatId: isId(r.openFlatId) ? r.openFlatId : null,
    flatViews: views,
    dockTab: (DOCK_TABS as readonly unknown[]).includes(r.dockTab) ? (r.dockTab as DockTab) : 'layers',
    garmentSwatch: isId(r.garmentSwatch) ? r.garmentSwatch : FROM_PROMPT,
  };
}

/** The views with one flat's set and moved to the end, the oldest dropped past the limit. */
export function withFlatView(views: Record<string, FlatViewport>, flatId: string, view: FlatViewport): Record<string, FlatViewport> {
  if (!isId(flatId) || !isView(view)) return views;
  const { [flatId]: _old, ...rest } = views;
  const entries: [string, FlatViewport][] = [...Object.entries(rest), [flatId, view]];
  return Object.fromEntries(entries.slice(-MAX_FLAT_VIEWS));
}

/**
 * Every project's memory, held here for the session and written through to storage (the window's
 * localStorage), so it survives leaving the project, the app's restart and a reload.
 */
export class ProjectMemoryStore {
  private readonly held = new Map<string, ProjectMemory>();

  constructor(private readonly storage: KeyValueStore | null) {}

  read(projectId: string): ProjectMemory {
    let memory = this.held.get(projectId);
    if (!memory) {
      let text: string | null = null;
      try {
        text = this.storage?.getItem(memoryKey(projectId)) ?? null;
      } catch {
        // Storage may be disabled; the project still opens, only without what it kept.
      }
      memory = parseMemory(text);
      this.held.set(projectId, memory);
    }
    return memory;
  }

  update(projectId: string, change: Partial<ProjectMemory>): ProjectMemory {
    const next = { ...this.read(projectId), ...change };
    if (next.prompt.length > PROMPT_MAX) next.prompt = next.prompt.slice(0, PROMPT_MAX);
    this.held.set(projectId, next);
    try {
      this.storage?.setItem(memoryKey(projectId), JSON.stringify(next));
    } catch {
      // A full or disabled storage keeps the memory for this session only.
    }
    return next;
  }

  rememberView(projectId: string, flatId: string, view: FlatViewport): void {
    const views = this.read(projectId).flatViews;
    const current = views[flatId];
    if (current && current.every((v, k) => v === view[k])) return;
    this.update(projectId, { flatViews: withFlatView(views, flatId, view) });
  }
}

function windowStorage(): KeyValueStore | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The studio's one store, over the window's storage. */
export const projectMemory = new ProjectMemoryStore(windowStorage());
