import { Point as FPoint } from 'fabric';
import type { ControllerHost } from './context';
import type { FastCanvas } from './fast-canvas';
import { paintRuler, pxPerCm } from './rulers';

/**
 * Pan and zoom of one canvas: fit to the page, zoom about a point, pan by the hand, the space bar, the
 * middle button or the wheel, follow a canvas beside it; and the rulers that show the viewport.
 */
export class Viewport {
  private rulers: { top: HTMLCanvasElement; left: HTMLCanvasElement } | null = null;
  private rulerFrame = 0;
  private wheelIdle: ReturnType<typeof setTimeout> | null = null;
  private panFrom: { x: number; y: number } | null = null;
  /** Millimetres of garment per document unit (the flat's calibration): what the rulers read in. */
  private mmPerUnit = 1;

  constructor(
    private readonly canvas: FastCanvas,
    private readonly frame: HTMLElement,
    private readonly host: ControllerHost,
  ) {}

  /** Whether a burst of wheel pans is still going (its frozen scene thaws when it ends). */
  get wheeling(): boolean {
    return this.wheelIdle !== null;
  }

  dispose(): void {
    if (this.rulerFrame) cancelAnimationFrame(this.rulerFrame);
    if (this.wheelIdle) clearTimeout(this.wheelIdle);
  }

  attachRulers(top: HTMLCanvasElement, left: HTMLCanvasElement): void {
    this.rulers = { top, left };
    this.scheduleRulers();
  }

  /** The flat's scale; a calibration changes it, and the rulers read the new cm at once. */
  setScale(mmPerUnit: number): void {
    if (!(mmPerUnit > 0) || mmPerUnit === this.mmPerUnit) return;
    this.mmPerUnit = mmPerUnit;
    this.scheduleRulers();
  }

  resize(width: number, height: number): void {
    this.canvas.setDimensions({ width, height });
    this.canvas.requestRenderAll();
    this.scheduleRulers();
  }

  /** Follows a canvas beside this one; does not tell the host, so two synced canvases do not echo. */
  follow(transform: readonly number[]): void {
    const v = this.canvas.viewportTransform;
    if (transform.length !== 6 || transform.every((x, k) => x === v[k])) return;
    this.canvas.setViewportTransform([transform[0]!, transform[1]!, transform[2]!, transform[3]!, transform[4]!, transform[5]!]);
    this.publish(false);
  }

  /** The whole page in view, with a small margin. */
  fit(page: { width: number; height: number }): void {
    const { width, height } = page;
    const w = this.canvas.getWidth();
    const h = this.canvas.getHeight();
    const z = Math.min(w / width, h / height) * 0.92;
    this.canvas.setViewportTransform([z, 0, 0, z, (w - width * z) / 2, (h - height * z) / 2]);
    this.publish();
  }

  zoomBy(factor: number, at?: { x: number; y: number }): void {
    const z = Math.min(64, Math.max(0.05, this.canvas.getZoom() * factor));
    const p = at ?? { x: this.canvas.getWidth() / 2, y: this.canvas.getHeight() / 2 };
    this.canvas.zoomToPoint(new FPoint(p.x, p.y), z);
    this.publish();
  }

  panBy(dx: number, dy: number): void {
    this.canvas.relativePan(new FPoint(dx, dy));
    this.publish();
  }

  /** A pinch arrives as ctrl+wheel; a plain wheel or two-finger swipe pans. */
  wheel(e: WheelEvent): void {
    e.preventDefault();
    e.stopPropagation();
    if (e.ctrlKey || e.metaKey) {
      this.zoomBy(Math.pow(0.998, e.deltaY), { x: e.offsetX, y: e.offsetY });
      return;
    }
    // A burst of wheel events pans the frozen scene; the full repaint waits for the burst to end.
    if (!this.canvas.isFrozen) this.canvas.freeze();
    if (this.wheelIdle) clearTimeout(this.wheelIdle);
    this.wheelIdle = setTimeout(() => {
      this.wheelIdle = null;
      this.canvas.thaw();
    }, 150);
    this.panBy(-e.deltaX, -e.deltaY);
  }

  /** A press with the hand (or space, or the middle button): the frozen scene follows the pointer. */
  grab(e: MouseEvent): void {
    this.panFrom = { x: e.clientX, y: e.clientY };
    this.canvas.freeze();
  }

  /** Says whether the move was a hand pan's. */
  drag(e: MouseEvent): boolean {
    if (!this.panFrom) return false;
    this.panBy(e.clientX - this.panFrom.x, e.clientY - this.panFrom.y);
    this.panFrom = { x: e.clientX, y: e.clientY };
    return true;
  }

  /** Says whether the release ended a hand pan. */
  release(): boolean {
    if (!this.panFrom) return false;
    this.panFrom = null;
    this.canvas.thaw();
    return true;
  }

  /** The viewport rides on the frame as data, so tests and tools map document points to the screen. */
  private publish(tell = true): void {
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
      paintRuler(this.rulers.top, false, pxPerCm(v[0], this.mmPerUnit), v[4]);
      paintRuler(this.rulers.left, true, pxPerCm(v[3], this.mmPerUnit), v[5]);
    });
  }
}
