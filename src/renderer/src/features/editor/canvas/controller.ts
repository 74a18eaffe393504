import { ActiveSelection, Point as FPoint, util, type FabricObject, type TMat2D } from 'fabric';
import { FastCanvas } from './fast-canvas';
import {
  dragAnchor,
  movingPoints,
  newId,
  snapMove,
  snapPoint as snapTo,
  snapTargets,
  type FlatCommandInput,
  type FlatDocument,
  type FlatItem,
  type FlatView,
  type Point,
  type Guide,
  type Segment,
  type SnapLine,
  type SnapTargets,
  type StitchType,
  type ViewId,
} from '../../../../../shared/flat';
import { ellipseSegments, makeShape, nearestAnchor, penSegments, rectSegments, smoothAnchor, type AnchorHit, type PenAnchor } from '../model/drawing';
import { guideAt, paintGuideLine, visibleScene } from './guides';
import { paintRuler } from './rulers';
import { FlatScene } from './scene';
import type { SwatchColours } from './objects';
import type { ToolId } from './tools';

export interface ControllerHost {
  /** Runs one edit; the new document, or null when the edit was refused. */
  run(command: FlatCommandInput): FlatDocument | null;
  selection(ids: string[]): void;
  /** Asks the technician for a text at a screen position (text and callout tools). */
  askText(screen: Point, done: (text: string) => void): void;
  pickSwatch(swatchId: string): void;
  /** A press in this canvas: with front and back side by side, it makes this view the active one. */
  activate?(): void;
  /** The viewport moved (pan or zoom), so a canvas beside this one can follow. */
  viewport?(transform: readonly number[]): void;
}

export interface EditorSettings {
  viewId: ViewId;
  layerId: string;
  symmetry: boolean;
  grid: boolean;
  snap: boolean;
  stitch: StitchType;
  stitchOffset: number;
  swatchId: string | null;
  unit: 'cm' | 'in';
}

const HANDLE_PX = 6;
const GRID_MM = 10;

type Handle = 'to' | 'c1' | 'c2' | 'c';
interface HandleRef {
  segment: number;
  handle: Handle;
  point: Point;
}

/** A guide being dragged: a new one out of a ruler (id null) or an existing one. */
interface GuideDrag {
  id: string | null;
  orientation: Guide['orientation'];
  at: number;
  moved: boolean;
  /** Over the ruler it belongs to: letting go there removes the guide. */
  overRuler: boolean;
}

/** What the last snap went to, shown while a gesture lasts. */
interface SnapMark {
  at: Point | null;
  x: SnapLine | null;
  y: SnapLine | null;
}

const GUIDE_COLOUR = 'rgba(0, 168, 214, 0.85)';
const GUIDE_SELECTED = '#2f6fed';
const SNAP_COLOUR = 'rgba(214, 51, 108, 0.95)';
/** Most (moving point, target anchor) pairs a select-tool drag compares per pointer move. */
const SNAP_PAIRS = 200_000;

/**
 * Drives the fabric canvas for one view of the document: paints it through FlatScene, turns pointer
 * gestures into commands, and paints what is not a document object (page, grid, axis, POMs, the pen's
 * path in progress) around the objects.
 */
export class EditorController {
  readonly canvas: FastCanvas;
  private wheelIdle: ReturnType<typeof setTimeout> | null = null;
  readonly scene: FlatScene;
  private doc: FlatDocument | null = null;
  private view: FlatView | null = null;
  private tool: ToolId = 'select';
  private selected: string[] = [];
  private hidden = new Set<string>();
  private spaceDown = false;
  private panFrom: { x: number; y: number } | null = null;
  private transformStart: TMat2D | null = null;
  private pen: PenAnchor[] = [];
  private penDown: Point | null = null;
  private dragFrom: Point | null = null;
  private cursor: Point | null = null;
  private curve: Point[] = [];
  private measureFrom: AnchorHit | null = null;
  private directShape: string | null = null;
  private handleDrag: (HandleRef & { now: Point }) | null = null;
  private rulers: { top: HTMLCanvasElement; left: HTMLCanvasElement } | null = null;
  private rulerFrame = 0;
  private targetCache: { view: FlatView; grid: number | null; hidden: Set<string>; targets: SnapTargets } | null = null;
  private snapMark: SnapMark | null = null;
  private selectedGuide: string | null = null;
  private guideDrag: GuideDrag | null = null;
  /** A select-tool move in progress: what moves, what it may snap to, and where it started. */
  private moveSnap: { points: Point[]; targets: SnapTargets; left: number; top: number } | null = null;
  private readonly unwire: (() => void)[] = [];

  constructor(
    element: HTMLCanvasElement,
    private readonly frame: HTMLElement,
    private readonly host: ControllerHost,
    public settings: EditorSettings,
  ) {
    this.canvas = new FastCanvas(element, {
      renderOnAddRemove: false,
      skipOffscreen: true,
      preserveObjectStacking: true,
      stopContextMenu: true,
      fireMiddleClick: true,
      selectionColor: 'rgba(47, 111, 237, 0.08)',
      selectionBorderColor: '#2f6fed',
      selectionLineWidth: 1,
      uniformScaling: false,
      width: frame.clientWidth,
      height: frame.clientHeight,
    });
    this.scene = new FlatScene(this.canvas);
    this.wire();
  }

  dispose(): void {
    for (const off of this.unwire) off();
    if (this.rulerFrame) cancelAnimationFrame(this.rulerFrame);
    void this.canvas.dispose();
  }

  /** The rulers along the top and left edges: they follow the viewport, and a drag out of one places a guide. */
  attachRulers(top: HTMLCanvasElement, left: HTMLCanvasElement): void {
    this.rulers = { top, left };
    const from = (orientation: Guide['orientation']) => (e: MouseEvent) => {
      if (e.button !== 0 || !this.view) return;
      e.preventDefault();
      this.host.activate?.();
      this.startGuideDrag({ id: null, orientation, at: Number.NaN, moved: false, overRuler: true });
    };
    const onTop = from('horizontal');
    const onLeft = from('vertical');
    top.addEventListener('mousedown', onTop);
    left.addEventListener('mousedown', onLeft);
    this.unwire.push(() => top.removeEventListener('mousedown', onTop), () => left.removeEventListener('mousedown', onLeft));
    this.scheduleRulers();
  }

  // ---- document and view ------------------------------------------------------------------------

  setDoc(doc: FlatDocument): void {
    this.doc = doc;
    const view = doc.views.find((v) => v.id === this.settings.viewId) ?? doc.views[0]!;
    if (view === this.view) return;
    const viewChanged = this.view?.id !== view.id;
    if (viewChanged) {
      this.canvas.discardActiveObject();
      this.canvas.remove(...this.canvas.getObjects());
      this.resetTool();
    }
    this.view = view;
    this.hidden = new Set(view.layers.filter((l) => !l.visible).map((l) => l.id));
    const replaced = this.scene.sync(view);
    // Published so tests and the benchmark can check that an edit rebuilds only what it changed.
    const { built, total } = this.scene.lastSync;
    this.frame.dataset.synced = `${built}/${total}`;
    if (this.directShape && !view.items.some((i) => i.id === this.directShape)) this.directShape = null;
    if (this.selectedGuide && !view.guides.some((g) => g.id === this.selectedGuide)) this.selectedGuide = null;
    this.publishGuides();
    const keep = this.selected.filter((id) => view.items.some((i) => i.id === id) || view.groups.some((g) => g.id === id));
    if (replaced.some((id) => this.selected.includes(id)) || keep.length !== this.selected.length) this.select(keep);
    this.canvas.requestRenderAll();
  }

  setSettings(settings: EditorSettings): void {
    const viewChanged = settings.viewId !== this.settings.viewId;
    this.settings = settings;
    if (viewChanged && this.doc) {
      this.view = null;
      // A selection belongs to the view it was made in.
      this.selected = [];
      this.directShape = null;
      this.selectedGuide = null;
      this.host.selection([]);
      this.setDoc(this.doc);
      this.fit();
    }
    this.canvas.requestRenderAll();
  }

  setSwatchColours(colours: SwatchColours): void {
    this.scene.setSwatches(colours);
    if (this.view) this.scene.sync(this.view);
    this.canvas.requestRenderAll();
  }

  setTool(tool: ToolId): void {
    this.resetTool();
    this.tool = tool;
    // Guides are picked with V and A only; another tool lets go of one, so Delete cannot remove it unseen.
    if (tool !== 'select' && tool !== 'direct') this.selectGuide(null);
    const selecting = tool === 'select';
    this.canvas.selection = selecting;
    this.scene.setInteractive(selecting);
    if (!selecting) this.canvas.discardActiveObject();
    this.canvas.skipTargetFind = tool === 'hand' || tool === 'zoom';
    this.canvas.defaultCursor = tool === 'hand' ? 'grab' : tool === 'zoom' ? 'zoom-in' : selecting ? 'default' : 'crosshair';
    this.canvas.requestRenderAll();
  }

  /** Ends what a tool had begun: the pen finishes its path, other gestures are dropped. */
  resetTool(): void {
    if (this.pen.length >= 2) this.finishPen(false);
    this.pen = [];
    this.penDown = null;
    this.dragFrom = null;
    this.curve = [];
    this.measureFrom = null;
    this.handleDrag = null;
    this.snapMark = null;
    this.canvas.clearContext(this.canvas.contextTop);
  }

  /** Enter or Escape: ends the pen's path open. */
  commitPen(): void {
    if (this.pen.length >= 2) this.finishPen(false);
    this.pen = [];
    this.renderTop();
  }

  selection(): string[] {
    return this.selected;
  }

  select(ids: string[]): void {
    this.selected = ids;
    if (this.tool === 'select') {
      // A group is selected as its members, so it shows its box and moves as one.
      const members = ids.flatMap((id) => this.view?.groups.find((g) => g.id === id)?.memberIds ?? [id]);
      const objs = members.map((id) => this.scene.objectOf(id)).filter((o): o is FabricObject => !!o && o.selectable);
      this.canvas.discardActiveObject();
      if (objs.length === 1) this.canvas.setActiveObject(objs[0]!);
      else if (objs.length > 1) this.canvas.setActiveObject(new ActiveSelection(objs, { canvas: this.canvas }));
    }
    this.host.selection(ids);
    this.canvas.requestRenderAll();
  }

  // ---- viewport ------------------------------------------------------------------------------------

  resize(width: number, height: number): void {
    this.canvas.setDimensions({ width, height });
    this.canvas.requestRenderAll();
    this.scheduleRulers();
  }

  /** Follows a canvas beside this one; does not tell the host, so two synced canvases do not echo. */
  setViewport(transform: readonly number[]): void {
    const v = this.canvas.viewportTransform;
    if (transform.length !== 6 || transform.every((x, k) => x === v[k])) return;
    this.canvas.setViewportTransform([transform[0]!, transform[1]!, transform[2]!, transform[3]!, transform[4]!, transform[5]!]);
    this.publishViewport(false);
  }

  fit(): void {
    if (!this.doc) return;
    const { width, height } = this.doc.page;
    const w = this.canvas.getWidth();
    const h = this.canvas.getHeight();
    const z = Math.min(w / width, h / height) * 0.92;
    this.canvas.setViewportTransform([z, 0, 0, z, (w - width * z) / 2, (h - height * z) / 2]);
    this.publishViewport();
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const z = Math.min(64, Math.max(0.05, this.canvas.getZoom() * factor));
    const p = at ?? { x: this.canvas.getWidth() / 2, y: this.canvas.getHeight() / 2 };
    this.canvas.zoomToPoint(new FPoint(p.x, p.y), z);
    this.publishViewport();
  }

  panBy(dx: number, dy: number): void {
    this.canvas.relativePan(new FPoint(dx, dy));
    this.publishViewport();
  }

  /** The viewport rides on the frame as data, so tests and tools map document points to the screen. */
  private publishViewport(tell = true): void {
    this.frame.dataset.viewport = this.canvas.viewportTransform.map((v) => +v.toFixed(5)).join(',');
    this.canvas.requestRenderAll();
    this.scheduleRulers();
    if (tell) this.host.viewport?.(this.canvas.viewportTransform);
  }

  /** Rulers repaint at most once a frame, in the frame's own animation callback. */
  private scheduleRulers(): void {
    if (!this.rulers || this.rulerFrame) return;
    this.rulerFrame = requestAnimationFrame(() => {
      this.rulerFrame = 0;
      if (!this.rulers) return;
      const v = this.canvas.viewportTransform;
      paintRuler(this.rulers.top, false, v[0], v[4]);
      paintRuler(this.rulers.left, true, v[3], v[5]);
    });
  }

  /** Guides ride on the frame as data (orientation and position), for tests and tools. */
  private publishGuides(): void {
    const guides = this.view?.guides ?? [];
    this.frame.dataset.guides = guides.map((g) => `${g.orientation === 'vertical' ? 'x' : 'y'}=${+g.at.toFixed(3)}`).join(' ');
    if (this.selectedGuide) this.frame.dataset.selectedGuide = this.selectedGuide;
    else delete this.frame.dataset.selectedGuide;
  }

  // ---- pointer -------------------------------------------------------------------------------------

  private scenePoint(e: Event): Point {
    const p = this.canvas.getScenePoint(e as MouseEvent);
    return { x: p.x, y: p.y };
  }

  private tolerance(): number {
    return HANDLE_PX / this.canvas.getZoom();
  }

  /** The view's snap targets, kept while the view, the grid and the hidden layers stay the same. */
  private targets(): SnapTargets | null {
    const view = this.view;
    if (!view) return null;
    const grid = this.settings.grid ? GRID_MM : null;
    const c = this.targetCache;
    if (c && c.view === view && c.grid === grid && c.hidden === this.hidden) return c.targets;
    const targets = snapTargets(view, { hidden: this.hidden, grid });
    this.targetCache = { view, grid, hidden: this.hidden, targets };
    return targets;
  }

  private snapped(p: Point, anchors = true): Point {
    const all = this.settings.snap ? this.targets() : null;
    if (!all) return p;
    const r = snapTo(p, anchors ? all : { ...all, anchors: [] }, this.tolerance() * 1.5);
    this.mark({ at: r.point, x: r.x, y: r.y });
    return r.point;
  }

  /**
   * Keeps the snap indicator for anchors, guides and the axis; the grid is everywhere, so it is not
   * marked. Says whether the indicator changed, so a drag repaints the top canvas only then.
   */
  private mark(m: SnapMark | null): boolean {
    const strong = (l: SnapLine | null) => (l && l.kind !== 'grid' ? l : null);
    const x = strong(m?.x ?? null);
    const y = strong(m?.y ?? null);
    const next = x || y ? { at: m?.at ?? null, x, y } : null;
    const before = this.snapMark;
    this.snapMark = next;
    const kinds = [x?.kind, y?.kind].filter(Boolean).join(',');
    if (this.frame.dataset.snap !== kinds) this.frame.dataset.snap = kinds;
    const sameLine = (a: SnapLine | null, b: SnapLine | null) => a?.kind === b?.kind && a?.at === b?.at;
    return !(before === next || (before && next && sameLine(before.x, next.x) && sameLine(before.y, next.y) && before.at?.x === next.at?.x && before.at?.y === next.at?.y));
  }

  // ---- guides --------------------------------------------------------------------------------------

  private guideAt(p: Point): Guide | null {
    return guideAt(this.view?.guides ?? [], p, this.tolerance());
  }

  private selectGuide(id: string | null): void {
    if (this.selectedGuide === id) return;
    this.selectedGuide = id;
    if (id) {
      this.canvas.discardActiveObject();
      this.selected = [];
      this.directShape = null;
      this.host.selection([]);
    }
    this.publishGuides();
    this.canvas.requestRenderAll();
  }

  /** Delete with a guide selected removes it; false when no guide is selected. */
  deleteSelectedGuide(): boolean {
    const id = this.selectedGuide;
    if (!id || !this.view) return false;
    this.selectedGuide = null;
    this.host.run({ type: 'guide.remove', viewId: this.view.id, ids: [id] });
    this.publishGuides();
    return true;
  }

  /** Follows the pointer anywhere on the page until release, as the drag may leave the canvas for a ruler. */
  private startGuideDrag(drag: GuideDrag): void {
    this.guideDrag = drag;
    const move = (e: MouseEvent) => this.guideMove(e);
    const up = (e: MouseEvent) => {
      window.removeEventListener('mousemove', move, true);
      window.removeEventListener('mouseup', up, true);
      this.guideUp(e);
    };
    window.addEventListener('mousemove', move, true);
    window.addEventListener('mouseup', up, true);
  }

  private overRuler(e: MouseEvent, orientation: Guide['orientation']): boolean {
    const r = this.frame.getBoundingClientRect();
    return orientation === 'vertical' ? e.clientX < r.left : e.clientY < r.top;
  }

  private guideMove(e: MouseEvent): void {
    const drag = this.guideDrag;
    if (!drag) return;
    const raw = this.scenePoint(e);
    const all = this.settings.snap ? this.targets() : null;
    // A guide snaps to anchors, the axis and the grid, never to the other guides.
    const p = all ? snapTo(raw, { ...all, verticals: [], horizontals: [] }, this.tolerance() * 1.5).point : raw;
    drag.at = drag.orientation === 'vertical' ? p.x : p.y;
    // The guide leaves its old place at once (one repaint); from then on only the top canvas paints it.
    if (!drag.moved && drag.id) this.canvas.requestRenderAll();
    drag.moved = true;
    drag.overRuler = this.overRuler(e, drag.orientation);
    this.canvas.upperCanvasEl.style.cursor = drag.orientation === 'vertical' ? 'col-resize' : 'row-resize';
    this.renderTop();
  }

  private guideUp(e: MouseEvent): void {
    const drag = this.guideDrag;
    this.guideDrag = null;
    const view = this.view;
    if (!drag || !view) return;
    const gone = this.overRuler(e, drag.orientation);
    if (drag.id === null) {
      if (drag.moved && !gone && Number.isFinite(drag.at)) {
        const id = newId('guide');
        if (this.host.run({ type: 'guide.add', viewId: view.id, guide: { id, orientation: drag.orientation, at: drag.at } })) this.selectGuide(id);
      }
    } else if (gone) {
      this.selectedGuide = null;
      this.host.run({ type: 'guide.remove', viewId: view.id, ids: [drag.id] });
    } else if (drag.moved && Number.isFinite(drag.at)) {
      this.host.run({ type: 'guide.move', viewId: view.id, id: drag.id, at: drag.at });
    }
    this.publishGuides();
    // Puts a dragged guide back on the scene even when its edit was refused.
    if (drag.id && drag.moved) this.canvas.requestRenderAll();
    this.renderTop();
  }

  /** Before fabric sees the press: a press on a guide with V or A takes the guide, not what lies under it. */
  private onFramePress(e: MouseEvent): void {
    this.host.activate?.();
    if (e.button !== 0 || this.spaceDown || (this.tool !== 'select' && this.tool !== 'direct') || !this.view) return;
    const p = this.scenePoint(e);
    if (this.tool === 'direct') {
      const shape = this.directShape ? this.view.items.find((i) => i.id === this.directShape) : undefined;
      if (shape?.type === 'shape' && this.handleAt(shape.segments, p)) return;
    }
    const guide = this.guideAt(p);
    if (!guide) {
      if (this.selectedGuide) this.selectGuide(null);
      return;
    }
    e.stopPropagation();
    e.preventDefault();
    this.selectGuide(guide.id);
    this.startGuideDrag({ id: guide.id, orientation: guide.orientation, at: guide.at, moved: false, overRuler: false });
  }

  private onFrameHover(e: MouseEvent): void {
    if (this.guideDrag || (this.tool !== 'select' && this.tool !== 'direct') || this.spaceDown || e.buttons) return;
    const guide = this.guideAt(this.scenePoint(e));
    // After fabric has set its own cursor for this move.
    if (guide) this.canvas.upperCanvasEl.style.cursor = guide.orientation === 'vertical' ? 'col-resize' : 'row-resize';
  }

  private wire(): void {
    const c = this.canvas;
    const press = (e: MouseEvent) => this.onFramePress(e);
    const hover = (e: MouseEvent) => this.onFrameHover(e);
    this.frame.addEventListener('mousedown', press, true);
    this.frame.addEventListener('mousemove', hover);
    this.unwire.push(() => this.frame.removeEventListener('mousedown', press, true), () => this.frame.removeEventListener('mousemove', hover));
    c.on('mouse:down', (opt) => this.onDown(opt.e, opt.target));
    c.on('mouse:move', (opt) => this.onMove(opt.e));
    c.on('mouse:up', (opt) => this.onUp(opt.e));
    c.on('mouse:dblclick', () => {
      if (this.tool === 'pen') this.commitPen();
    });
    c.on('mouse:wheel', (opt) => {
      const e = opt.e;
      e.preventDefault();
      e.stopPropagation();
      // A pinch arrives as ctrl+wheel; a plain wheel or two-finger swipe pans.
      if (e.ctrlKey || e.metaKey) this.zoomBy(Math.pow(0.998, e.deltaY), { x: e.offsetX, y: e.offsetY });
      else {
        // A burst of wheel events pans the frozen scene; the full repaint waits for the burst to end.
        if (!this.canvas.isFrozen) this.canvas.freeze();
        if (this.wheelIdle) clearTimeout(this.wheelIdle);
        this.wheelIdle = setTimeout(() => {
          this.wheelIdle = null;
          this.canvas.thaw();
        }, 150);
        this.panBy(-e.deltaX, -e.deltaY);
      }
    });
    c.on('before:transform', (opt) => {
      this.transformStart = opt.transform.target.calcTransformMatrix();
      this.moveSnap = null;
      if (opt.transform.action === 'drag' && this.view) {
        const ids = new Set(c.getActiveObjects().map((o) => this.scene.idOf(o)).filter((id): id is string => !!id));
        if (ids.size === 0) {
          const own = this.scene.idOf(opt.transform.target);
          if (own) ids.add(own);
        }
        const targets = snapTargets(this.view, { hidden: this.hidden, exclude: ids, grid: this.settings.grid ? GRID_MM : null });
        this.moveSnap = {
          // Moving anchors times target anchors is the work of each frame: capped, a big selection snaps by its box.
          points: movingPoints(this.view, ids, Math.min(400, Math.floor(SNAP_PAIRS / Math.max(1, targets.anchors.length)))),
          targets,
          left: opt.transform.original.left,
          top: opt.transform.original.top,
        };
      }
      // Everything that is not moving is painted once; each frame of the drag repaints the rest.
      const live = c.getActiveObjects();
      this.canvas.freeze(live.length ? live : [opt.transform.target]);
    });
    c.on('object:moving', (opt) => this.onMoving(opt.target));
    c.on('object:modified', (opt) => this.onModified(opt.target));
    const fromFabric = () => {
      if (this.tool !== 'select') return;
      if (c.getActiveObjects().length) this.selectGuide(null);
      this.selected = c
        .getActiveObjects()
        .map((o) => this.scene.idOf(o))
        .filter((id): id is string => !!id);
      this.host.selection(this.selected);
    };
    c.on('selection:created', fromFabric);
    c.on('selection:updated', fromFabric);
    c.on('selection:cleared', fromFabric);
    c.on('before:render', (opt) => this.paintPage(opt.ctx));
    c.on('after:render', (opt) => {
      if (opt.ctx === c.contextTop) this.paintTop(opt.ctx);
      else this.paintOverlay(opt.ctx);
    });
  }

  /** Space held: the hand tool for as long as it is held, whatever tool is active. */
  setSpace(down: boolean): void {
    if (this.spaceDown === down) return;
    this.spaceDown = down;
    const selecting = this.tool === 'select' && !down;
    this.canvas.selection = selecting;
    // Hit-testing thousands of objects on every move is wasted while the hand is out.
    this.canvas.skipTargetFind = down;
    this.scene.setInteractive(selecting);
    this.canvas.defaultCursor = down ? 'grab' : this.tool === 'select' ? 'default' : 'crosshair';
    this.canvas.setCursor(this.canvas.defaultCursor);
  }

  private onDown(e: Event, target: FabricObject | undefined): void {
    const me = e as MouseEvent;
    if (this.spaceDown || this.tool === 'hand' || me.button === 1) {
      this.panFrom = { x: me.clientX, y: me.clientY };
      this.canvas.freeze();
      return;
    }
    if (!this.view) return;
    const raw = this.scenePoint(e);
    const targetId = target ? this.scene.idOf(target) : undefined;
    switch (this.tool) {
      case 'select':
        return;
      case 'direct':
        return this.directDown(raw, targetId);
      case 'pen': {
        const p = this.snapped(raw);
        const first = this.pen[0];
        if (first && this.pen.length >= 2 && Math.hypot(first.p.x - raw.x, first.p.y - raw.y) <= this.tolerance() * 1.5) {
          this.finishPen(true);
          return;
        }
        this.pen.push({ p });
        this.penDown = p;
        return this.renderTop();
      }
      case 'line':
      case 'rect':
      case 'ellipse':
      case 'callout':
        this.dragFrom = this.snapped(raw);
        return;
      case 'curve': {
        const p = this.snapped(raw);
        if (this.curve.length < 2) {
          this.curve.push(p);
        } else {
          const [a, b] = this.curve as [Point, Point];
          this.addDrawn([{ kind: 'M', to: a }, { kind: 'Q', c: raw, to: b }]);
          this.curve = [];
        }
        return this.renderTop();
      }
      case 'text': {
        const at = this.snapped(raw, false);
        this.host.askText({ x: me.offsetX, y: me.offsetY }, (text) =>
          this.runAndSelect(
            {
              type: 'item.add',
              viewId: this.view!.id,
              item: { id: newId('text'), layerId: this.settings.layerId, name: '', type: 'callout', text, at, leader: [], fontSize: 6, colour: '#1d1d1f' },
            },
            (doc, cmd) => (cmd.type === 'item.add' ? [cmd.item.id] : []),
          ),
        );
        return;
      }
      case 'stitch': {
        const item = targetId ? this.view.items.find((i) => i.id === targetId) : undefined;
        if (item?.type !== 'shape') return;
        const id = newId('stitch');
        const layerId = this.view.layers.some((l) => l.id === 'stitching' && !l.locked) ? 'stitching' : this.settings.layerId;
        this.runAndSelect(
          { type: 'stitch.along', viewId: this.view.id, id, shapeId: item.id, stitch: this.settings.stitch, offset: this.settings.stitchOffset, layerId },
          () => [id],
        );
        return;
      }
      case 'measure': {
        const hit = nearestAnchor(this.view, raw, this.tolerance() * 2, this.hidden);
        if (!hit) return;
        if (!this.measureFrom) {
          this.measureFrom = hit;
          return this.renderTop();
        }
        const from = this.measureFrom;
        this.measureFrom = null;
        const code = `P${this.view.poms.length + 1}`;
        this.host.run({
          type: 'pom.add',
          viewId: this.view.id,
          id: newId('pom'),
          code,
          name: `Measurement ${code}`,
          from: { shapeId: from.shapeId, segment: from.segment },
          to: { shapeId: hit.shapeId, segment: hit.segment },
          unit: this.settings.unit,
        });
        return this.renderTop();
      }
      case 'eyedropper': {
        const item = targetId ? this.view.items.find((i) => i.id === targetId) : undefined;
        if (item?.type !== 'shape') return;
        if (me.altKey) {
          if (item.fabric) this.host.pickSwatch(item.fabric.swatchId);
          return;
        }
        if (this.settings.swatchId)
          this.host.run({ type: 'fabric.assign', viewId: this.view.id, shapeIds: [item.id], fabric: { swatchId: this.settings.swatchId, angle: 0 } });
        return;
      }
      case 'zoom':
        return this.zoomBy(me.altKey ? 1 / 1.5 : 1.5, { x: me.offsetX, y: me.offsetY });
    }
  }

  private onMove(e: Event): void {
    const me = e as MouseEvent;
    if (this.panFrom) {
      this.panBy(me.clientX - this.panFrom.x, me.clientY - this.panFrom.y);
      this.panFrom = { x: me.clientX, y: me.clientY };
      return;
    }
    if (this.tool === 'select' || this.tool === 'hand' || this.tool === 'zoom' || !this.view) return;
    const raw = this.scenePoint(e);
    this.cursor = this.tool === 'direct' || this.tool === 'measure' ? raw : this.snapped(raw);
    if (this.tool === 'pen' && this.penDown) {
      const last = this.pen[this.pen.length - 1]!;
      if (Math.hypot(raw.x - last.p.x, raw.y - last.p.y) > this.tolerance()) this.pen[this.pen.length - 1] = smoothAnchor(last.p, raw);
    }
    if (this.handleDrag) this.handleDrag.now = this.snapped(raw);
    this.renderTop();
  }

  private onUp(e: Event): void {
    if (this.panFrom) {
      this.panFrom = null;
      this.canvas.thaw();
      return;
    }
    if (this.canvas.isFrozen && !this.wheelIdle) this.canvas.thaw();
    if (this.snapMark || this.moveSnap) {
      this.moveSnap = null;
      this.mark(null);
      this.renderTop();
    }
    if (!this.view) return;
    const raw = this.scenePoint(e);
    if (this.tool === 'pen') this.penDown = null;
    if (this.handleDrag && this.directShape) {
      const { segment, handle, now, point } = this.handleDrag;
      this.handleDrag = null;
      if (Math.hypot(now.x - point.x, now.y - point.y) > 1e-9) {
        // An anchor carries its handles (and, with symmetry on, its mirror image); a handle moves alone.
        if (handle === 'to') this.host.run({ type: 'anchor.move', viewId: this.view.id, shapeId: this.directShape, segment, to: now, mirror: this.mirrorAxis() !== null });
        else this.host.run({ type: 'anchor.edit', viewId: this.view.id, shapeId: this.directShape, segment, handle, point: now });
      }
      this.renderTop();
      return;
    }
    const from = this.dragFrom;
    this.dragFrom = null;
    if (!from) return;
    const to = this.snapped(raw);
    const moved = Math.hypot(to.x - from.x, to.y - from.y) > this.tolerance();
    if (this.tool === 'callout') {
      const target = from;
      const at = moved ? to : { x: from.x + 20, y: from.y - 20 };
      const me = e as MouseEvent;
      this.host.askText({ x: me.offsetX, y: me.offsetY }, (text) => {
        const id = newId('note');
        this.runAndSelect({ type: 'callout.add', viewId: this.view!.id, id, layerId: this.settings.layerId, text, at, target }, () => [id]);
      });
      return this.renderTop();
    }
    if (!moved) return this.renderTop();
    if (this.tool === 'line') this.addDrawn([{ kind: 'M', to: from }, { kind: 'L', to }]);
    else if (this.tool === 'rect') this.addDrawn(rectSegments(from, to));
    else if (this.tool === 'ellipse') this.addDrawn(ellipseSegments(from, to));
    this.renderTop();
  }

  private directDown(raw: Point, targetId: string | undefined): void {
    const view = this.view!;
    const shape = this.directShape ? view.items.find((i) => i.id === this.directShape) : undefined;
    if (shape?.type === 'shape') {
      const hit = this.handleAt(shape.segments, raw);
      if (hit) {
        this.handleDrag = { ...hit, now: hit.point };
        return;
      }
    }
    const item = targetId ? view.items.find((i) => i.id === targetId) : undefined;
    this.directShape = item?.type === 'shape' ? item.id : null;
    this.selected = this.directShape ? [this.directShape] : [];
    this.host.selection(this.selected);
    this.canvas.requestRenderAll();
  }

  private handleAt(segments: readonly Segment[], p: Point): HandleRef | null {
    const tol = this.tolerance() * 1.5;
    let best: HandleRef | null = null;
    let bestD = tol;
    segments.forEach((s, segment) => {
      const refs: [Handle, Point][] =
        s.kind === 'C' ? [['to', s.to], ['c1', s.c1], ['c2', s.c2]] : s.kind === 'Q' ? [['to', s.to], ['c', s.c]] : s.kind === 'Z' ? [] : [['to', s.to]];
      for (const [handle, point] of refs) {
        const d = Math.hypot(point.x - p.x, point.y - p.y);
        if (d <= bestD) {
          bestD = d;
          best = { segment, handle, point };
        }
      }
    });
    return best;
  }

  /** With symmetry on and an axis in the view, anchor drags mirror across it. */
  private mirrorAxis(): number | null {
    return this.settings.symmetry && this.view ? this.view.axisX : null;
  }

  /** A select-tool drag snaps the moving items' bounds and anchors to anchors, guides, the axis and the grid. */
  private onMoving(target: FabricObject | undefined): void {
    const ms = this.moveSnap;
    if (!target || !ms || !this.settings.snap) return;
    const delta = { x: (target.left ?? 0) - ms.left, y: (target.top ?? 0) - ms.top };
    const r = snapMove(ms.points, delta, ms.targets, this.tolerance() * 1.5);
    if (r.delta.x !== delta.x || r.delta.y !== delta.y) {
      target.set({ left: ms.left + r.delta.x, top: ms.top + r.delta.y });
      target.setCoords();
    }
    if (this.mark({ at: r.at, x: r.x, y: r.y })) this.renderTop();
  }

  private onModified(target: FabricObject | undefined): void {
    this.canvas.thaw();
    this.moveSnap = null;
    this.mark(null);
    if (!target || !this.transformStart || !this.view) return;
    const after = target.calcTransformMatrix();
    const delta = util.multiplyTransformMatrices(after, util.invertTransform(this.transformStart));
    this.transformStart = null;
    const ids = this.canvas
      .getActiveObjects()
      .map((o) => this.scene.idOf(o))
      .filter((id): id is string => !!id);
    if (ids.length === 0) return;
    this.canvas.discardActiveObject();
    const matrix: [number, number, number, number, number, number] = [delta[0], delta[1], delta[2], delta[3], delta[4], delta[5]];
    const doc = this.host.run({ type: 'item.transform', viewId: this.view.id, ids, matrix });
    if (doc) this.setDoc(doc);
    else {
      // Refused (a locked layer): put the objects back where the document has them.
      for (const id of ids) this.scene.invalidate(id);
      this.scene.sync(this.view);
    }
    this.select(ids);
  }

  // ---- making things -------------------------------------------------------------------------------

  private runAndSelect<C extends FlatCommandInput>(command: C, ids: (doc: FlatDocument, command: C) => string[]): void {
    const doc = this.host.run(command);
    if (!doc) return;
    this.setDoc(doc);
    this.select(ids(doc, command));
  }

  /** A drawn path becomes a shape; with symmetry on, its mirrored twin follows it from now on. */
  private addDrawn(segments: Segment[]): void {
    const view = this.view!;
    const id = newId('shape');
    const doc = this.host.run({ type: 'item.add', viewId: view.id, item: makeShape(id, this.settings.layerId, segments) });
    if (!doc) return;
    this.setDoc(doc);
    if (this.settings.symmetry && view.axisX !== null) {
      const twin = this.host.run({ type: 'mirror.twin', viewId: view.id, shapeId: id, newId: newId('shape'), twinId: newId('twin') });
      if (twin) this.setDoc(twin);
    }
    this.select([id]);
  }

  private finishPen(closed: boolean): void {
    const anchors = this.pen;
    this.pen = [];
    this.penDown = null;
    if (anchors.length < 2) return;
    this.addDrawn(penSegments(anchors, closed));
    this.renderTop();
  }

  // ---- painting ------------------------------------------------------------------------------------

  private renderTop(): void {
    this.canvas.renderTop();
  }

  private withViewport(ctx: CanvasRenderingContext2D, paint: () => void): void {
    const v = this.canvas.viewportTransform;
    ctx.save();
    ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
    paint();
    ctx.restore();
  }

  private paintPage(ctx: CanvasRenderingContext2D): void {
    if (ctx === this.canvas.contextTop || !this.doc) return;
    const { width, height } = this.doc.page;
    const px = 1 / this.canvas.getZoom();
    ctx.save();
    ctx.fillStyle = '#e9eaee';
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    this.withViewport(ctx, () => {
      // A hard offset edge, not shadowBlur: a blurred shadow of the whole page costs a software
      // rasteriser hundreds of milliseconds a frame.
      ctx.fillStyle = 'rgba(20, 24, 40, 0.12)';
      ctx.fillRect(3 * px, 3 * px, width, height);
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      if (this.settings.grid) {
        ctx.beginPath();
        for (let x = GRID_MM; x < width; x += GRID_MM) {
          ctx.moveTo(x, 0);
          ctx.lineTo(x, height);
        }
        for (let y = GRID_MM; y < height; y += GRID_MM) {
          ctx.moveTo(0, y);
          ctx.lineTo(width, y);
        }
        ctx.strokeStyle = 'rgba(47, 111, 237, 0.08)';
        ctx.lineWidth = px;
        ctx.stroke();
      }
    });
  }

  private paintOverlay(ctx: CanvasRenderingContext2D): void {
    const view = this.view;
    if (!view || !this.doc) return;
    const px = 1 / this.canvas.getZoom();
    this.withViewport(ctx, () => {
      if (view.axisX !== null) {
        ctx.setLineDash([8 * px, 4 * px, 2 * px, 4 * px]);
        ctx.strokeStyle = this.settings.symmetry ? 'rgba(214, 51, 108, 0.9)' : 'rgba(214, 51, 108, 0.45)';
        ctx.lineWidth = px;
        ctx.beginPath();
        ctx.moveTo(view.axisX, 0);
        ctx.lineTo(view.axisX, this.doc!.page.height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = 'rgba(214, 51, 108, 0.9)';
        ctx.font = `${11 * px}px Inter, system-ui, sans-serif`;
        ctx.fillText(view.id === 'front' ? 'CF' : 'CB', view.axisX + 4 * px, 14 * px);
      }
      for (const pom of view.poms) this.paintPom(ctx, view, pom.from, pom.to, `${pom.code}  ${pom.value} ${pom.unit}`, px);
      for (const g of view.guides) if (g.id !== this.guideDrag?.id) this.paintGuide(ctx, g.orientation, g.at, g.id === this.selectedGuide ? GUIDE_SELECTED : GUIDE_COLOUR, px);
      const shape = this.directShape ? view.items.find((i) => i.id === this.directShape) : undefined;
      if (shape?.type === 'shape' && this.tool === 'direct') this.paintHandles(ctx, shape.segments, px);
    });
  }

  private paintGuide(ctx: CanvasRenderingContext2D, orientation: Guide['orientation'], at: number, colour: string, px: number, dash: number[] = []): void {
    paintGuideLine(ctx, orientation, at, visibleScene(this.canvas.viewportTransform, this.canvas.getWidth(), this.canvas.getHeight()), colour, px, dash);
  }

  /** Where the last snap went: the guide or axis line lit, an anchor ringed. */
  private paintSnapMark(ctx: CanvasRenderingContext2D, px: number): void {
    const m = this.snapMark;
    if (!m) return;
    if (m.x && m.x.kind !== 'anchor') this.paintGuide(ctx, 'vertical', m.x.at, SNAP_COLOUR, px, [4, 3]);
    if (m.y && m.y.kind !== 'anchor') this.paintGuide(ctx, 'horizontal', m.y.at, SNAP_COLOUR, px, [4, 3]);
    if (m.at) {
      ctx.strokeStyle = SNAP_COLOUR;
      ctx.lineWidth = 1.5 * px;
      ctx.beginPath();
      if (m.x?.kind === 'anchor') ctx.arc(m.at.x, m.at.y, 5 * px, 0, Math.PI * 2);
      else {
        ctx.moveTo(m.at.x - 4 * px, m.at.y - 4 * px);
        ctx.lineTo(m.at.x + 4 * px, m.at.y + 4 * px);
        ctx.moveTo(m.at.x + 4 * px, m.at.y - 4 * px);
        ctx.lineTo(m.at.x - 4 * px, m.at.y + 4 * px);
      }
      ctx.stroke();
    }
  }

  private paintPom(ctx: CanvasRenderingContext2D, view: FlatView, from: { shapeId: string; segment: number }, to: { shapeId: string; segment: number }, label: string, px: number): void {
    const at = (ref: { shapeId: string; segment: number }) => {
      const s = view.items.find((i) => i.id === ref.shapeId);
      const seg = s?.type === 'shape' ? s.segments[ref.segment] : undefined;
      return seg && seg.kind !== 'Z' ? seg.to : null;
    };
    const a = at(from);
    const b = at(to);
    if (!a || !b) return;
    ctx.strokeStyle = '#0a8f6a';
    ctx.fillStyle = '#0a8f6a';
    ctx.lineWidth = 1.2 * px;
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    for (const p of [a, b]) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, 3 * px, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.font = `600 ${11 * px}px Inter, system-ui, sans-serif`;
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    const w = ctx.measureText(label).width;
    ctx.fillStyle = 'rgba(255,255,255,0.92)';
    ctx.fillRect(mx - w / 2 - 3 * px, my - 14 * px, w + 6 * px, 14 * px);
    ctx.fillStyle = '#0a8f6a';
    ctx.fillText(label, mx - w / 2, my - 3 * px);
  }

  private paintHandles(ctx: CanvasRenderingContext2D, segments: readonly Segment[], px: number): void {
    const drag = this.handleDrag;
    const segs = drag ? this.dragged(segments, drag) : segments;
    ctx.lineWidth = px;
    ctx.strokeStyle = '#2f6fed';
    let prev: Point | null = null;
    for (const s of segs) {
      if (s.kind === 'C') {
        ctx.beginPath();
        if (prev) {
          ctx.moveTo(prev.x, prev.y);
          ctx.lineTo(s.c1.x, s.c1.y);
        }
        ctx.moveTo(s.to.x, s.to.y);
        ctx.lineTo(s.c2.x, s.c2.y);
        ctx.stroke();
        for (const c of [s.c1, s.c2]) {
          ctx.beginPath();
          ctx.arc(c.x, c.y, 3 * px, 0, Math.PI * 2);
          ctx.fillStyle = '#ffffff';
          ctx.fill();
          ctx.stroke();
        }
      }
      if (s.kind !== 'Z') {
        ctx.fillStyle = '#2f6fed';
        ctx.fillRect(s.to.x - 3 * px, s.to.y - 3 * px, 6 * px, 6 * px);
        prev = s.to;
      }
    }
  }

  /** A handle drag's path as it would be saved: an anchor brings its handles (and its mirror image). */
  private dragged(segments: readonly Segment[], drag: HandleRef & { now: Point }): Segment[] {
    if (drag.handle === 'to') return dragAnchor(segments, drag.segment, drag.now, this.mirrorAxis());
    return editSegment(segments, drag.segment, drag.handle, drag.now);
  }

  /** What a gesture in progress would make, on the top canvas, so the scene is not repainted. */
  private paintTop(ctx: CanvasRenderingContext2D): void {
    const view = this.view;
    if (!view) return;
    const px = 1 / this.canvas.getZoom();
    const preview: Segment[][] = [];
    const cur = this.cursor;
    if (this.tool === 'pen' && this.pen.length) {
      const rubber = cur && !this.penDown ? [...this.pen, { p: cur }] : this.pen;
      preview.push(penSegments(rubber, false));
    }
    if (this.dragFrom && cur) {
      if (this.tool === 'line' || this.tool === 'callout') preview.push([{ kind: 'M', to: this.dragFrom }, { kind: 'L', to: cur }]);
      if (this.tool === 'rect') preview.push(rectSegments(this.dragFrom, cur));
      if (this.tool === 'ellipse') preview.push(ellipseSegments(this.dragFrom, cur));
    }
    if (this.tool === 'curve' && this.curve.length && cur) {
      preview.push(this.curve.length === 1 ? [{ kind: 'M', to: this.curve[0]! }, { kind: 'L', to: cur }] : [{ kind: 'M', to: this.curve[0]! }, { kind: 'Q', c: cur, to: this.curve[1]! }]);
    }
    if (this.measureFrom && cur) preview.push([{ kind: 'M', to: this.measureFrom.point }, { kind: 'L', to: cur }]);
    let twinOf: Segment[] | null = null;
    if (this.handleDrag && this.tool === 'direct') {
      const shape = view.items.find((i) => i.id === this.directShape);
      if (shape?.type === 'shape') {
        const segs = this.dragged(shape.segments, this.handleDrag);
        preview.push(segs);
        // A mirrored twin follows the edit once it is made; show where it will go meanwhile.
        if (view.axisX !== null && view.twins.some((t) => t.source === shape.id || t.target === shape.id)) twinOf = segs;
      }
    }
    this.withViewport(ctx, () => {
      const draw = (segs: Segment[], colour: string) => {
        ctx.beginPath();
        tracePath(ctx, segs);
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5 * px;
        ctx.stroke();
      };
      if (twinOf && view.axisX !== null) draw(mirrorSegments(twinOf, view.axisX), 'rgba(214, 51, 108, 0.8)');
      if (this.guideDrag && Number.isFinite(this.guideDrag.at))
        this.paintGuide(ctx, this.guideDrag.orientation, this.guideDrag.at, this.guideDrag.overRuler ? 'rgba(0, 168, 214, 0.35)' : GUIDE_SELECTED, px, this.guideDrag.overRuler ? [3, 3] : []);
      this.paintSnapMark(ctx, px);
      for (const segs of preview) {
        draw(segs, '#2f6fed');
        if (this.settings.symmetry && view.axisX !== null && this.tool !== 'measure' && this.tool !== 'callout' && this.tool !== 'direct') {
          const ax = view.axisX;
          draw(mirrorSegments(segs, ax), 'rgba(214, 51, 108, 0.8)');
        }
      }
      if (this.tool === 'pen') {
        for (const [k, a] of this.pen.entries()) {
          ctx.fillStyle = k === 0 ? '#ffffff' : '#2f6fed';
          ctx.strokeStyle = '#2f6fed';
          ctx.fillRect(a.p.x - 3 * px, a.p.y - 3 * px, 6 * px, 6 * px);
          ctx.strokeRect(a.p.x - 3 * px, a.p.y - 3 * px, 6 * px, 6 * px);
        }
      }
    });
  }
}

function tracePath(ctx: CanvasRenderingContext2D, segs: readonly Segment[]): void {
  for (const s of segs) {
    if (s.kind === 'M') ctx.moveTo(s.to.x, s.to.y);
    else if (s.kind === 'L') ctx.lineTo(s.to.x, s.to.y);
    else if (s.kind === 'C') ctx.bezierCurveTo(s.c1.x, s.c1.y, s.c2.x, s.c2.y, s.to.x, s.to.y);
    else if (s.kind === 'Q') ctx.quadraticCurveTo(s.c.x, s.c.y, s.to.x, s.to.y);
    else ctx.closePath();
  }
}

function mirrorSegments(segs: readonly Segment[], axisX: number): Segment[] {
  const m = (p: Point): Point => ({ x: 2 * axisX - p.x, y: p.y });
  return segs.map((s): Segment => {
    switch (s.kind) {
      case 'M':
      case 'L':
        return { kind: s.kind, to: m(s.to) };
      case 'C':
        return { kind: 'C', c1: m(s.c1), c2: m(s.c2), to: m(s.to) };
      case 'Q':
        return { kind: 'Q', c: m(s.c), to: m(s.to) };
      case 'Z':
        return s;
    }
  });
}

function editSegment(segs: readonly Segment[], index: number, handle: Handle, p: Point): Segment[] {
  return segs.map((s, i) => {
    if (i !== index || s.kind === 'Z') return s;
    if (handle === 'to') return { ...s, to: p };
    if (s.kind === 'C' && (handle === 'c1' || handle === 'c2')) return { ...s, [handle]: p };
    if (s.kind === 'Q' && handle === 'c') return { ...s, c: p };
    return s;
  });
}

/** Items of the view by id, for the clipboard. */
export function itemsById(view: FlatView, ids: readonly string[]): FlatItem[] {
  const wanted = new Set(ids.flatMap((id) => view.groups.find((g) => g.id === id)?.memberIds ?? [id]));
  return view.items.filter((i) => wanted.has(i.id));
}

