import { ActiveSelection, type FabricObject } from 'fabric';
import { viewOf, type FlatDocument, type FlatView, type Guide, type Point, type Segment } from '../../../../../shared/flat';
import { CalibratePick, type PickDone } from './calibrate-pick';
import { HANDLE_PX, type CanvasContext, type ControllerHost, type EditorSettings } from './context';
import { DirectSelect } from './direct-select';
import { DrawingTools } from './drawing-tools';
import { FastCanvas } from './fast-canvas';
import { GuideDragger } from './guide-drag';
import type { SwatchColours } from './objects';
import { mirrorSegments, paintAxis, paintPage, paintPom, tracePath, withViewport } from './paint';
import { PointTools } from './point-tools';
import { FlatScene } from './scene';
import { SelectMove } from './select-move';
import { Snapper } from './snapping';
import type { ToolId } from './tools';
import { Viewport } from './viewport';

export type { ControllerHost, EditorSettings } from './context';

/**
 * Drives the fabric canvas for one view of the document: keeps the scene in step with the document,
 * hands each pointer gesture to the module for the tool (guides, select-move, direct selection,
 * drawing, point tools, viewport), and paints what is not a document object around the objects.
 */
export class EditorController implements CanvasContext {
  readonly canvas: FastCanvas;
  readonly scene: FlatScene;
  private shownDoc: FlatDocument | null = null;
  private shownView: FlatView | null = null;
  private activeTool: ToolId = 'select';
  private hiddenLayers: ReadonlySet<string> = new Set();
  private selected: string[] = [];
  private spaceDown = false;
  private cursor: Point | null = null;
  private readonly viewport: Viewport;
  private readonly snapper: Snapper;
  private readonly guides: GuideDragger;
  private readonly selectMove: SelectMove;
  private readonly direct: DirectSelect;
  private readonly drawing: DrawingTools;
  private readonly pointTools: PointTools;
  private readonly calibrate: CalibratePick;
  private readonly unwire: (() => void)[] = [];

  constructor(
    element: HTMLCanvasElement,
    readonly frame: HTMLElement,
    readonly host: ControllerHost,
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
    this.viewport = new Viewport(this.canvas, frame, host);
    this.snapper = new Snapper(this);
    this.direct = new DirectSelect(this, this.snapper);
    // Picking a guide lets go of the items, so Delete removes only what shows selected.
    this.guides = new GuideDragger(this, this.snapper, () => {
      this.canvas.discardActiveObject();
      this.selected = [];
      this.direct.release();
      this.host.selection([]);
    });
    this.selectMove = new SelectMove(this, this.snapper);
    this.drawing = new DrawingTools(this, this.snapper);
    this.pointTools = new PointTools(this, this.snapper, this.drawing);
    this.calibrate = new CalibratePick(this, this.snapper);
    this.wire();
  }

  get doc(): FlatDocument | null {
    return this.shownDoc;
  }

  get view(): FlatView | null {
    return this.shownView;
  }

  get tool(): ToolId {
    return this.activeTool;
  }

  /** Hidden layers of the view; a new set whenever the document changes, so it can key a cache. */
  get hidden(): ReadonlySet<string> {
    return this.hiddenLayers;
  }

  dispose(): void {
    for (const off of this.unwire) off();
    this.viewport.dispose();
    void this.canvas.dispose();
  }

  /** The rulers along the top and left edges: they follow the viewport, and a drag out of one places a guide. */
  attachRulers(top: HTMLCanvasElement, left: HTMLCanvasElement): void {
    const from = (orientation: Guide['orientation']) => (e: MouseEvent) => {
      if (e.button !== 0 || !this.view) return;
      e.preventDefault();
      this.host.activate?.();
      this.guides.fromRuler(orientation);
    };
    const onTop = from('horizontal');
    const onLeft = from('vertical');
    top.addEventListener('mousedown', onTop);
    left.addEventListener('mousedown', onLeft);
    this.unwire.push(() => top.removeEventListener('mousedown', onTop), () => left.removeEventListener('mousedown', onLeft));
    this.viewport.attachRulers(top, left);
  }

  // ---- document and view ------------------------------------------------------------------------

  setDoc(doc: FlatDocument): void {
    this.shownDoc = doc;
    // Before the early return: a calibration may change the scale and leave the view as it was.
    this.viewport.setScale(doc.units.mmPerUnit);
    const view = viewOf(doc, this.settings.viewId);
    if (view === this.view) return;
    const viewChanged = this.view?.id !== view.id;
    if (viewChanged) {
      this.canvas.discardActiveObject();
      this.canvas.remove(...this.canvas.getObjects());
      this.resetTool();
    }
    this.shownView = view;
    this.hiddenLayers = new Set(view.layers.filter((l) => !l.visible).map((l) => l.id));
    // A motif fill's repeat is given in centimetres; the scene needs the document's own unit for it.
    this.scene.setUnits(doc.units);
    // Removing a rebuilt object that fabric holds active clears fabric's selection, and with it ours:
    // the selection from before the sync is the one to make again (an edit keeps what it edited selected).
    const before = this.selected;
    const replaced = this.scene.sync(view);
    // Published so tests and the benchmark can check that an edit rebuilds only what it changed.
    const { built, total } = this.scene.lastSync;
    this.frame.dataset.synced = `${built}/${total}`;
    this.direct.synced(view);
    this.guides.synced(view);
    const keep = before.filter((id) => view.items.some((i) => i.id === id) || view.groups.some((g) => g.id === id));
    if (this.selected !== before || replaced.some((id) => before.includes(id)) || keep.length !== before.length) this.select(keep);
    this.canvas.requestRenderAll();
  }

  setSettings(settings: EditorSettings): void {
    const viewChanged = settings.viewId !== this.settings.viewId;
    this.settings = settings;
    if (viewChanged && this.doc) {
      this.shownView = null;
      // A selection belongs to the view it was made in.
      this.selected = [];
      this.direct.release();
      this.guides.forget();
      this.host.selection([]);
      this.setDoc(this.doc);
      this.fit();
    }
    this.canvas.requestRenderAll();
  }

  setSwatchColours(colours: SwatchColours): void {
    this.scene.setSwatches(colours);
    if (this.view) {
      // Every object is rebuilt in its colour, and fabric lets go of a removed active object: a swatch
      // read in meanwhile must not take the selection (and the properties panel with it) away.
      const before = this.selected;
      const replaced = this.scene.sync(this.view);
      if (this.selected !== before || replaced.some((id) => before.includes(id))) this.select(before);
    }
    this.canvas.requestRenderAll();
  }

  setTool(tool: ToolId): void {
    this.resetTool();
    this.activeTool = tool;
    // Guides are picked with V and A only; another tool lets go of one, so Delete cannot remove it unseen.
    if (tool !== 'select' && tool !== 'direct') this.guides.select(null);
    const selecting = tool === 'select';
    this.canvas.selection = selecting;
    this.scene.setInteractive(selecting);
    if (!selecting) this.canvas.discardActiveObject();
    this.canvas.skipTargetFind = tool === 'hand' || tool === 'zoom';
    this.canvas.defaultCursor = tool === 'hand' ? 'grab' : tool === 'zoom' ? 'zoom-in' : selecting ? 'default' : 'crosshair';
    this.canvas.requestRenderAll();
  }

  /**
   * Calibrating by two points: the next two clicks, whatever the tool, are taken as the ends of a
   * known distance (each on the nearest path point). Nothing is selected or drawn meanwhile; choosing
   * a tool or another view gives the pick up, which `done` hears as null.
   */
  pickTwoPoints(done: PickDone): void {
    this.resetTool();
    this.calibrate.start((line) => {
      this.setTool(this.activeTool);
      done(line);
    });
    this.canvas.discardActiveObject();
    this.canvas.selection = false;
    this.scene.setInteractive(false);
    this.canvas.skipTargetFind = true;
    this.canvas.defaultCursor = 'crosshair';
    this.canvas.setCursor('crosshair');
    this.canvas.requestRenderAll();
  }

  /** Drops a two-point pick without telling whoever started it (they are the ones ending it). */
  cancelPick(): void {
    if (!this.calibrate.active) return;
    this.calibrate.cancel(false);
    this.setTool(this.activeTool);
  }

  /** Ends what a tool had begun: the pen finishes its path, other gestures are dropped. */
  resetTool(): void {
    this.calibrate.cancel(true);
    this.drawing.reset();
    this.pointTools.reset();
    this.direct.reset();
    this.snapper.forget();
    this.canvas.clearContext(this.canvas.contextTop);
  }

  /** Enter or Escape: ends the pen's path open. */
  commitPen(): void {
    this.drawing.commitPen();
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

  pick(ids: string[]): void {
    this.selected = ids;
    this.host.selection(ids);
  }

  /** Delete with a guide selected removes it; false when no guide is selected. */
  deleteSelectedGuide(): boolean {
    return this.guides.deleteSelected();
  }

  // ---- viewport ------------------------------------------------------------------------------------

  resize(width: number, height: number): void {
    this.viewport.resize(width, height);
  }

  /** Follows a canvas beside this one; does not tell the host, so two synced canvases do not echo. */
  setViewport(transform: readonly number[]): void {
    this.viewport.follow(transform);
  }

  fit(): void {
    if (this.doc) this.viewport.fit(this.doc.page);
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    this.viewport.zoomBy(factor, at);
  }

  panBy(dx: number, dy: number): void {
    this.viewport.panBy(dx, dy);
  }

  /** Space held: the hand tool for as long as it is held, whatever tool is active. */
  setSpace(down: boolean): void {
    if (this.spaceDown === down) return;
    this.spaceDown = down;
    // A two-point pick selects nothing, before the hand and after it.
    const selecting = this.tool === 'select' && !down && !this.calibrate.active;
    this.canvas.selection = selecting;
    // Hit-testing thousands of objects on every move is wasted while the hand is out.
    this.canvas.skipTargetFind = down || this.calibrate.active;
    this.scene.setInteractive(selecting);
    this.canvas.defaultCursor = down ? 'grab' : this.tool === 'select' && !this.calibrate.active ? 'default' : 'crosshair';
    this.canvas.setCursor(this.canvas.defaultCursor);
  }

  // ---- pointer -------------------------------------------------------------------------------------

  scenePoint(e: Event): Point {
    const p = this.canvas.getScenePoint(e as MouseEvent);
    return { x: p.x, y: p.y };
  }

  tolerance(): number {
    return HANDLE_PX / this.canvas.getZoom();
  }

  renderTop(): void {
    this.canvas.renderTop();
  }

  /** Picks and drags with V and A: guides are taken before fabric sees the press. */
  private guideTool(): boolean {
    return (this.tool === 'select' || this.tool === 'direct') && !this.spaceDown && !!this.view && !this.calibrate.active;
  }

  /** Before fabric sees the press: a press on a guide with V or A takes the guide, not what lies under it. */
  private onFramePress(e: MouseEvent): void {
    this.host.activate?.();
    if (e.button !== 0 || !this.guideTool()) return;
    const p = this.scenePoint(e);
    // A handle of the shape being edited lies over any guide.
    if (this.tool === 'direct' && this.direct.onHandle(p)) return;
    if (!this.guides.press(p)) return;
    e.stopPropagation();
    e.preventDefault();
  }

  private onFrameHover(e: MouseEvent): void {
    if (this.guides.dragging || !this.guideTool() || e.buttons) return;
    this.guides.hover(this.scenePoint(e));
  }

  private wire(): void {
    const c = this.canvas;
    const press = (e: MouseEvent) => this.onFramePress(e);
    const hover = (e: MouseEvent) => this.onFrameHover(e);
    this.frame.addEventListener('mousedown', press, true);
    this.frame.addEventListener('mousemove', hover);
    this.unwire.push(() => this.frame.removeEventListener('mousedown', press, true), () => this.frame.removeEventListener('mousemove', hover));
    c.on('mouse:down', (opt) => this.onDown(opt.e as MouseEvent, opt.target));
    c.on('mouse:move', (opt) => this.onMove(opt.e as MouseEvent));
    c.on('mouse:up', (opt) => this.onUp(opt.e as MouseEvent));
    c.on('mouse:dblclick', () => {
      if (this.tool === 'pen') this.commitPen();
    });
    c.on('mouse:wheel', (opt) => this.viewport.wheel(opt.e));
    c.on('before:transform', (opt) => this.selectMove.begin(opt.transform));
    c.on('object:moving', (opt) => this.selectMove.moving(opt.target));
    c.on('object:modified', (opt) => this.selectMove.modified(opt.target));
    const fromFabric = () => {
      if (this.tool !== 'select') return;
      if (c.getActiveObjects().length) this.guides.select(null);
      this.pick(
        c
          .getActiveObjects()
          .map((o) => this.scene.idOf(o))
          .filter((id): id is string => !!id),
      );
    };
    c.on('selection:created', fromFabric);
    c.on('selection:updated', fromFabric);
    c.on('selection:cleared', fromFabric);
    c.on('before:render', (opt) => {
      if (opt.ctx === c.contextTop) return;
      // Every zoom (fit, wheel, zoom tool, a synced canvas) ends in a render: callout text follows it here.
      this.scene.setZoom(c.getZoom());
      if (this.doc) paintPage(opt.ctx, c, this.doc, this.settings.grid);
    });
    c.on('after:render', (opt) => {
      if (opt.ctx === c.contextTop) this.paintTop(opt.ctx);
      else this.paintOverlay(opt.ctx);
    });
  }

  private onDown(e: MouseEvent, target: FabricObject | undefined): void {
    if (this.spaceDown || this.tool === 'hand' || e.button === 1) return this.viewport.grab(e);
    if (!this.view) return;
    const raw = this.scenePoint(e);
    if (this.calibrate.active) return e.button === 0 ? this.calibrate.down(raw) : undefined;
    const targetId = target ? this.scene.idOf(target) : undefined;
    switch (this.tool) {
      case 'select':
        return;
      case 'direct':
        return this.direct.down(raw, targetId);
      case 'zoom':
        return this.zoomBy(e.altKey ? 1 / 1.5 : 1.5, { x: e.offsetX, y: e.offsetY });
      case 'text':
      case 'stitch':
      case 'measure':
      case 'eyedropper':
        return this.pointTools.down(e, raw, targetId);
      default:
        return this.drawing.down(raw);
    }
  }

  private onMove(e: MouseEvent): void {
    if (this.viewport.drag(e)) return;
    if (this.calibrate.active && this.view) {
      this.cursor = this.calibrate.at(this.scenePoint(e));
      return this.renderTop();
    }
    if (this.tool === 'select' || this.tool === 'hand' || this.tool === 'zoom' || !this.view) return;
    const raw = this.scenePoint(e);
    this.cursor = this.tool === 'direct' || this.tool === 'measure' ? raw : this.snapper.snapped(raw);
    this.drawing.move(raw);
    this.direct.move(raw);
    this.renderTop();
  }

  private onUp(e: MouseEvent): void {
    if (this.viewport.release()) return;
    if (this.canvas.isFrozen && !this.viewport.wheeling) this.canvas.thaw();
    if (this.snapper.marked || this.selectMove.snapping) {
      this.selectMove.end();
      this.snapper.mark(null);
      this.renderTop();
    }
    if (!this.view) return;
    const raw = this.scenePoint(e);
    if (this.direct.up()) return;
    this.drawing.up(e, raw);
  }

  // ---- painting ------------------------------------------------------------------------------------

  /** Over the objects: the axis, the POMs, the guides and the direct-selection handles. */
  private paintOverlay(ctx: CanvasRenderingContext2D): void {
    const view = this.view;
    const doc = this.doc;
    if (!view || !doc) return;
    const px = 1 / this.canvas.getZoom();
    withViewport(ctx, this.canvas, () => {
      if (view.axisX !== null) paintAxis(ctx, view, view.axisX, doc.page.height, this.settings.symmetry, px);
      for (const pom of view.poms) paintPom(ctx, view, pom.from, pom.to, `${pom.code}  ${pom.value} ${pom.unit}`, px);
      this.guides.paint(ctx, view, px);
      if (this.tool === 'direct') this.direct.paintHandles(ctx, view, px);
    });
  }

  /** What a gesture in progress would make, on the top canvas, so the scene is not repainted. */
  private paintTop(ctx: CanvasRenderingContext2D): void {
    const view = this.view;
    if (!view) return;
    const px = 1 / this.canvas.getZoom();
    const preview: Segment[][] = [...this.drawing.preview(this.cursor), ...this.pointTools.preview(this.cursor), ...this.calibrate.preview(this.cursor)];
    let twinOf: Segment[] | null = null;
    const edit = this.tool === 'direct' ? this.direct.preview(view) : null;
    if (edit) {
      preview.push(edit.segments);
      if (edit.twinFollows) twinOf = edit.segments;
    }
    withViewport(ctx, this.canvas, () => {
      const draw = (segs: Segment[], colour: string) => {
        ctx.beginPath();
        tracePath(ctx, segs);
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5 * px;
        ctx.stroke();
      };
      if (twinOf && view.axisX !== null) draw(mirrorSegments(twinOf, view.axisX), 'rgba(214, 51, 108, 0.8)');
      this.guides.paintDragged(ctx, px);
      this.snapper.paint(ctx, px);
      for (const segs of preview) {
        draw(segs, '#2f6fed');
        if (this.settings.symmetry && view.axisX !== null && !this.calibrate.active && this.tool !== 'measure' && this.tool !== 'callout' && this.tool !== 'direct') {
          draw(mirrorSegments(segs, view.axisX), 'rgba(214, 51, 108, 0.8)');
        }
      }
      this.drawing.paintPen(ctx, px);
    });
  }
}
