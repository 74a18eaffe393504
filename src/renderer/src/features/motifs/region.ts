import { useSyncExternalStore } from 'react';
import type { NormalisedBox } from '../../../../shared/contract';

/**
 * "Search this region": one mode shared by the motif panel (which starts it and runs the search) and
 * the overlays on the flat canvas and on generated renders (where the technician drags the box). It
 * lives outside React's tree because the panel and the overlays sit in different parts of the shell.
 */

/** Where a region was drawn: the flat editor's canvas, or one generated render. */
export type RegionSource = 'flat' | 'render';

/** A drawn box as fractions of the overlay it was drawn on: [left, top, right, bottom]. */
export type OverlayBox = readonly [number, number, number, number];

/** What the motif search is asked: an image the main side can read, and the region of it. */
export interface RegionQuery {
  image: string;
  box: NormalisedBox;
  label: string;
}

export interface RegionState {
  active: boolean;
  /** The box being searched, kept on screen until the search returns; `picker` says which overlay drew it. */
  pending: { picker: string; box: OverlayBox } | null;
  /** Why the last box could not be searched (too small, the flat would not render), for the panel to show. */
  error: string | null;
}

type Listener = () => void;
type QueryHandler = (query: RegionQuery) => Promise<void>;

let state: RegionState = { active: false, pending: null, error: null };
const listeners = new Set<Listener>();
let handler: QueryHandler | null = null;

function set(next: Partial<RegionState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export const regionSearch = {
  get: (): RegionState => state,
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  start: () => set({ active: true, error: null }),
  /** Leaves the mode; a search already sent still answers in the panel. */
  stop: () => set({ active: false, pending: null }),
  /** The motif panel takes region queries while it is mounted. */
  handle(next: QueryHandler): () => void {
    handler = next;
    return () => {
      if (handler === next) handler = null;
    };
  },
  /**
   * An overlay drew `box` and `resolve` turns it into a query (rendering the flat, say). The box stays
   * drawn until the search has answered or failed.
   */
  async submit(picker: string, box: OverlayBox, resolve: () => Promise<RegionQuery>): Promise<void> {
    set({ pending: { picker, box }, error: null });
    try {
      const query = await resolve();
      if (!handler) throw new Error('The motif panel is not open.');
      await handler(query);
      if (state.pending?.box === box) set({ pending: null });
    } catch (err) {
      if (state.pending?.box === box) set({ pending: null, error: err instanceof Error ? err.message : String(err) });
    }
  },
  fail: (message: string) => set({ error: message }),
};

export function useRegionSearch(): RegionState {
  return useSyncExternalStore(regionSearch.subscribe, regionSearch.get, regionSearch.get);
}

/** Smallest box worth searching, as a share of the overlay's side: a click is not a region. */
export const MIN_REGION_SHARE = 0.02;

/** A box dragged from `a` to `b` (fractions of the overlay), ordered and clamped, or null when too small. */
export function boxBetween(a: { x: number; y: number }, b: { x: number; y: number }): OverlayBox | null {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  const box: OverlayBox = [c(Math.min(a.x, b.x)), c(Math.min(a.y, b.y)), c(Math.max(a.x, b.x)), c(Math.max(a.y, b.y))];
  return box[2] - box[0] >= MIN_REGION_SHARE && box[3] - box[1] >= MIN_REGION_SHARE ? box : null;
}
