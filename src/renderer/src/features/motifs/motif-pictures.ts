import type { Motif } from '../../../../shared/contract';
import { libraryFileUrl } from '../../lib/library-url';

/**
 * Motif artwork for the flat canvas, by motif id. The document names motifs by id only; the motif
 * panel (which has the client) teaches this cache how to look a motif up, and primes it with every
 * motif it shows, so a motif dropped from the results paints at once. Painting code asks for a
 * picture synchronously and is told once when one that was still loading is ready.
 */

export interface MotifPicture {
  image: HTMLImageElement;
  width: number;
  height: number;
}

type Lookup = (motifId: string) => Promise<Motif>;

interface Entry {
  picture: MotifPicture | null;
  failed: boolean;
  waiting: Set<() => void>;
}

const entries = new Map<string, Entry>();
const known = new Map<string, string>();
let lookup: Lookup | null = null;

/** Remembers where a motif's image is, so its picture needs no round trip. */
export function rememberMotif(motif: Pick<Motif, 'id' | 'fileSha256'>): void {
  known.set(motif.id, motif.fileSha256);
}

/** How to look up a motif this cache has not seen (motifs.get); the panel sets it while mounted. */
export function setMotifLookup(next: Lookup | null): void {
  lookup = next;
  // Pictures that failed for want of a lookup may load now.
  if (next) for (const [id, e] of entries) if (e.failed && e.waiting.size) retry(id, e);
}

function load(id: string, e: Entry, sha: string): void {
  const image = new Image();
  image.decoding = 'async';
  image.onload = () => {
    e.picture = { image, width: image.naturalWidth, height: image.naturalHeight };
    const waiting = [...e.waiting];
    e.waiting.clear();
    for (const w of waiting) w();
  };
  image.onerror = () => {
    e.failed = true;
  };
  image.src = libraryFileUrl(sha);
}

function retry(id: string, e: Entry): void {
  e.failed = false;
  const sha = known.get(id);
  if (sha) return load(id, e, sha);
  if (!lookup) {
    e.failed = true;
    return;
  }
  lookup(id).then(
    (motif) => {
      rememberMotif(motif);
      load(id, e, motif.fileSha256);
    },
    () => {
      e.failed = true;
    },
  );
}

/**
 * The motif's picture when it is loaded; otherwise null, and `ready` is called once it loads (a
 * motif that cannot be found or read stays null, and the canvas keeps showing its placement box).
 */
export function motifPicture(motifId: string, ready?: () => void): MotifPicture | null {
  let e = entries.get(motifId);
  if (!e) {
    e = { picture: null, failed: false, waiting: new Set() };
    entries.set(motifId, e);
    if (ready) e.waiting.add(ready);
    retry(motifId, e);
    return e.picture;
  }
  if (!e.picture && ready) e.waiting.add(ready);
  return e.picture;
}
