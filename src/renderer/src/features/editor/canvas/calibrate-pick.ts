import type { MeasuredLine, Point, Segment } from '../../../../../shared/flat';
import { calibrationPoint, pickedLine } from '../model/calibration';
import type { CanvasContext } from './context';
import type { Snapper } from './snapping';

/** What the pick reports: the line between the two points, or null when it was given up. */
export type PickDone = (line: MeasuredLine | null) => void;

/**
 * Calibrating by two points: the technician clicks two points of the flat whose real distance they
 * know, each taken onto the nearest path point when near one. It runs over whatever tool is active
 * and edits nothing; the distance typed afterwards becomes the one calibrate command.
 */
export class CalibratePick {
  private done: PickDone | null = null;
  private first: Point | null = null;

  constructor(
    private readonly ctx: CanvasContext,
    private readonly snapper: Snapper,
  ) {}

  get active(): boolean {
    return this.done !== null;
  }

  start(done: PickDone): void {
    this.done = done;
    this.first = null;
    this.publish();
  }

  /** Ends the pick; `tell` says whether the one who started it hears it was given up. */
  cancel(tell: boolean): void {
    const done = this.done;
    this.done = null;
    this.first = null;
    this.publish();
    if (tell) done?.(null);
  }

  /** Where a click or the pointer lands: a path point near it, else where snapping puts it. */
  at(raw: Point): Point {
    const { ctx } = this;
    return calibrationPoint(ctx.view!, raw, ctx.tolerance() * 2, ctx.hidden, this.snapper.snapped(raw));
  }

  down(raw: Point): void {
    const p = this.at(raw);
    if (!this.first) {
      this.first = p;
      this.publish();
      return this.ctx.renderTop();
    }
    const line = pickedLine(this.first, p, this.ctx.tolerance());
    // A second click on the first point measures nothing: the pick waits for another.
    if (!line) return;
    const done = this.done;
    this.done = null;
    this.first = null;
    this.publish();
    done?.(line);
  }

  /** The line from the first point to where the pointer would land. */
  preview(cursor: Point | null): Segment[][] {
    return this.first && cursor ? [[{ kind: 'M', to: this.first }, { kind: 'L', to: cursor }]] : [];
  }

  /** Which click the pick waits for, on the canvas frame, for the hint and the tests. */
  private publish(): void {
    const state = !this.done ? null : this.first ? 'second' : 'first';
    if (state) this.ctx.frame.dataset.calibratePick = state;
    else delete this.ctx.frame.dataset.calibratePick;
  }
}
