import type { Canvas, FabricObject } from 'fabric';
import type { FlatItem, FlatView, Layer, Units } from '../../../../../shared/flat';
import { itemObject, sizeCalloutText, type SwatchColours } from './objects';
import { unitsPerCm } from './units';

interface Entry {
  item: FlatItem;
  layer: Layer;
  obj: FabricObject;
}

/**
 * Keeps the canvas a picture of one view. The document is immutable with structural sharing, so an
 * item whose object is still the same object has not changed: only changed items are rebuilt, and
 * the canvas is only reordered where the paint order moved.
 */
export class FlatScene {
  private readonly entries = new Map<string, Entry>();
  private readonly ids = new WeakMap<FabricObject, string>();
  private swatches: SwatchColours = new Map();
  /** Document units in a centimetre; millimetres until the document says otherwise. */
  private perCm = 10;
  /** The canvas zoom the callouts' text is sized for. */
  private zoom = 1;
  private interactive = true;
  /** What the last sync did: objects built (new or changed), removed, and on the canvas. */
  lastSync = { built: 0, removed: 0, total: 0 };

  constructor(private readonly canvas: Canvas) {}

  idOf(obj: FabricObject): string | undefined {
    return this.ids.get(obj);
  }

  objectOf(id: string): FabricObject | undefined {
    return this.entries.get(id)?.obj;
  }

  itemOf(id: string): FlatItem | undefined {
    return this.entries.get(id)?.item;
  }

  /** Rebuilds the item's object next sync, whatever fabric did to it meanwhile. */
  invalidate(id: string): void {
    const e = this.entries.get(id);
    if (e) e.item = { ...e.item };
  }

  /** Rebuilds every object next sync (a new swatch colour changes panels that did not change). */
  setSwatches(swatches: SwatchColours): void {
    this.swatches = swatches;
    for (const e of this.entries.values()) e.item = { ...e.item };
  }

  /** The document's units: a change rebuilds every object, as motif repeats are sized in centimetres. */
  setUnits(units: Units): void {
    const perCm = unitsPerCm(units);
    if (perCm === this.perCm) return;
    this.perCm = perCm;
    for (const e of this.entries.values()) e.item = { ...e.item };
  }

  /** Callout text keeps its print size on screen: a zoom resizes it in place, so what is selected stays selected. */
  setZoom(zoom: number): void {
    if (zoom === this.zoom) return;
    this.zoom = zoom;
    for (const e of this.entries.values()) if (e.item.type === 'callout') sizeCalloutText(e.obj, zoom);
  }

  /** Whether items can be picked and moved (the select tool) or only hit (drawing tools). */
  setInteractive(on: boolean): void {
    this.interactive = on;
    for (const e of this.entries.values()) this.applyFlags(e);
  }

  private applyFlags(e: Entry): void {
    const editable = !e.layer.locked && e.layer.visible;
    e.obj.visible = e.layer.visible;
    e.obj.selectable = this.interactive && editable;
    e.obj.evented = editable;
    e.obj.hoverCursor = this.interactive && editable ? 'move' : 'crosshair';
  }

  /** Returns the ids whose objects were replaced, so a selection of them can be made again. */
  sync(view: FlatView): string[] {
    const layers = new Map(view.layers.map((l) => [l.id, l]));
    const byLayer = new Map<string, FlatItem[]>(view.layers.map((l) => [l.id, []]));
    for (const item of view.items) byLayer.get(item.layerId)?.push(item);
    const order: FabricObject[] = [];
    const seen = new Set<string>();
    const replaced: string[] = [];
    const stale: FabricObject[] = [];
    let built = 0;
    for (const layer of view.layers) {
      for (const item of byLayer.get(layer.id) ?? []) {
        seen.add(item.id);
        let e = this.entries.get(item.id);
        if (!e || e.item !== item) {
          if (e) {
            stale.push(e.obj);
            replaced.push(item.id);
          }
          const obj = itemObject(item, this.swatches, this.perCm, this.zoom);
          built++;
          this.ids.set(obj, item.id);
          e = { item, layer: layers.get(item.layerId)!, obj };
          this.entries.set(item.id, e);
          this.applyFlags(e);
        } else if (e.layer !== layer) {
          e.layer = layer;
          this.applyFlags(e);
        }
        order.push(e.obj);
      }
    }
    for (const [id, e] of this.entries) {
      if (!seen.has(id)) {
        stale.push(e.obj);
        this.entries.delete(id);
      }
    }
    if (stale.length) this.canvas.remove(...stale);
    this.lastSync = { built, removed: stale.length, total: order.length };
    let current = this.canvas.getObjects();
    if (current.length === 0) {
      if (order.length) this.canvas.add(...order);
      return replaced;
    }
    for (let i = 0; i < order.length; i++) {
      const want = order[i]!;
      if (current[i] === want) continue;
      if (current.includes(want)) this.canvas.moveObjectTo(want, i);
      else this.canvas.insertAt(i, want);
      current = this.canvas.getObjects();
    }
    return replaced;
  }
}
