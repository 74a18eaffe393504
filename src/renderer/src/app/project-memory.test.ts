import { describe, expect, it } from 'vitest';
import type { FlatViewport } from '../features/editor/model/editor-memory';
import type { KeyValueStore } from '../lib/i18n';
import { EMPTY_MEMORY, MAX_FLAT_VIEWS, ProjectMemoryStore, memoryKey, parseMemory, withFlatView } from './project-memory';

function memoryStorage(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

const VIEW: FlatViewport = [0.5, 0, 0, 0.5, 120, 40, 1000, 700];

describe('ProjectMemoryStore', () => {
  it('gives a project back what it kept, after a fresh start on the same storage', () => {
    const storage = memoryStorage();
    const store = new ProjectMemoryStore(storage);
    store.update('p1', {
      prompt: 'navy denim jacket',
      overrides: { colour: { from: 'navy', to: 'burgundy' } },
      shownJobId: 'job-7',
      openFlatId: 'flat-a',
      dockTab: 'generate',
      garmentSwatch: 'swatch-indigo',
    });
    store.rememberView('p1', 'flat-a', VIEW);

    const again = new ProjectMemoryStore(storage).read('p1');
    expect(again).toEqual({
      prompt: 'navy denim jacket',
      overrides: { colour: { from: 'navy', to: 'burgundy' } },
      shownJobId: 'job-7',
      openFlatId: 'flat-a',
      flatViews: { 'flat-a': VIEW },
      dockTab: 'generate',
      garmentSwatch: 'swatch-indigo',
    });
  });

  it('is stored under the project id', () => {
    const storage = memoryStorage();
    new ProjectMemoryStore(storage).update('abc', { prompt: 'p' });
    expect(JSON.parse(storage.data.get(memoryKey('abc'))!)).toMatchObject({ prompt: 'p' });
  });

  it('keeps projects apart', () => {
    const store = new ProjectMemoryStore(memoryStorage());
    store.update('p1', { prompt: 'silk dress' });
    store.rememberView('p1', 'flat-a', VIEW);
    expect(store.read('p2')).toEqual(EMPTY_MEMORY);
    expect(store.read('p1').prompt).toBe('silk dress');
  });

  it('keeps each flat its own view', () => {
    const store = new ProjectMemoryStore(memoryStorage());
    store.rememberView('p1', 'flat-a', VIEW);
    store.rememberView('p1', 'flat-b', [2, 0, 0, 2, -300, -80, 800, 600]);
    expect(store.read('p1').flatViews['flat-a']).toEqual(VIEW);
    expect(store.read('p1').flatViews['flat-b']).toEqual([2, 0, 0, 2, -300, -80, 800, 600]);
  });

  it('works for the session when storage throws', () => {
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = new ProjectMemoryStore(broken);
    expect(store.read('p1')).toEqual(EMPTY_MEMORY);
    store.update('p1', { prompt: 'linen shirt' });
    expect(store.read('p1').prompt).toBe('linen shirt');
  });

  it('does not write again for a view that did not change', () => {
    const storage = memoryStorage();
    let writes = 0;
    const counting: KeyValueStore = { getItem: storage.getItem, setItem: (k, v) => (writes++, storage.setItem(k, v)) };
    const store = new ProjectMemoryStore(counting);
    store.rememberView('p1', 'flat-a', VIEW);
    store.rememberView('p1', 'flat-a', [...VIEW] as unknown as FlatViewport);
    expect(writes).toBe(1);
  });
});

describe('parseMemory', () => {
  it('starts empty from nothing or from text that is not a memory', () => {
    expect(parseMemory(null)).toEqual(EMPTY_MEMORY);
    expect(parseMemory('{not json')).toEqual(EMPTY_MEMORY);
    expect(parseMemory('[1,2]')).toEqual(EMPTY_MEMORY);
    expect(parseMemory('"text"')).toEqual(EMPTY_MEMORY);
  });

  it('keeps the sound parts and drops the rest', () => {
    const parsed = parseMemory(
      JSON.stringify({
        prompt: 'wool coat',
        // A value the lexicon does not know would have no label to show; a field the prompt lacks is not one.
        overrides: { colour: { from: 'navy', to: 'not-a-colour' }, fabric: { from: null, to: 'denim' }, sleeves: { from: null, to: 'long' } },
        shownJobId: 42,
        openFlatId: 'flat-a',
        flatViews: { good: VIEW, short: [1, 0, 0, 1, 0, 0], nan: [1, 0, 0, 1, null, 0, 10, 10], flipped: [-1, 0, 0, 1, 0, 0, 10, 10], huge: [1e9, 0, 0, 1e9, 0, 0, 10, 10], noCanvas: [1, 0, 0, 1, 0, 0, 0, 0] },
        dockTab: 'somewhere',
        garmentSwatch: { id: 'swatch-1' },
      }),
    );
    expect(parsed).toEqual({
      prompt: 'wool coat',
      overrides: { fabric: { from: null, to: 'denim' } },
      shownJobId: null,
      openFlatId: 'flat-a',
      flatViews: { good: VIEW },
      dockTab: 'layers',
      // Not a choice: the garment takes the prompt's pick again.
      garmentSwatch: '',
    });
    // No swatch at all is a choice of its own, kept as such.
    expect(parseMemory(JSON.stringify({ garmentSwatch: 'none' })).garmentSwatch).toBe('none');
  });

  it('bounds the prompt', () => {
    expect(parseMemory(JSON.stringify({ prompt: 'x'.repeat(10_000) })).prompt).toHaveLength(4000);
  });
});

describe('withFlatView', () => {
  it('moves the flat last used to the end and drops the oldest past the limit', () => {
    let views: Record<string, FlatViewport> = {};
    for (let k = 0; k < MAX_FLAT_VIEWS; k++) views = withFlatView(views, `f${k}`, VIEW);
    views = withFlatView(views, 'f0', [1, 0, 0, 1, 0, 0, 10, 10]);
    views = withFlatView(views, 'new', VIEW);
    const ids = Object.keys(views);
    expect(ids).toHaveLength(MAX_FLAT_VIEWS);
    expect(ids).not.toContain('f1');
    expect(ids.slice(-2)).toEqual(['f0', 'new']);
    expect(views.f0).toEqual([1, 0, 0, 1, 0, 0, 10, 10]);
  });

  it('ignores a transform that could not be shown', () => {
    expect(withFlatView({}, 'f', [0, 0, 0, 0, 0, 0, 10, 10])).toEqual({});
    expect(withFlatView({}, 'f', [1, 0, 0, 1, Number.NaN, 0, 10, 10])).toEqual({});
  });
});
