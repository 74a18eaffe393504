import type { FlatCommandInput, FlatDocument, FlatView, Point, StitchType, ViewId } from '../../../../../shared/flat';
import type { FastCanvas } from './fast-canvas';
import type { FlatScene } from './scene';
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

/** How near (screen pixels) a press must come to an anchor, a handle or a guide to take it. */
export const HANDLE_PX = 6;
/** The grid's pitch in document units. */
export const GRID_MM = 10;

/**
 * What the controller shares with the gesture modules (guides, select-move, direct selection,
 * drawing): the canvas, the document as now shown, and the few actions they all need. The controller
 * owns the state; a module reads it here and keeps only its own gesture's state.
 */
export interface CanvasContext {
  readonly canvas: FastCanvas;
  readonly scene: FlatScene;
  /** The element around the canvas: tests and tools read what it publishes as data attributes. */
  readonly frame: HTMLElement;
  readonly host: ControllerHost;
  readonly doc: FlatDocument | null;
  readonly view: FlatView | null;
  readonly settings: EditorSettings;
  readonly tool: ToolId;
  /** Hidden layers of the view; a new set whenever the document changes, so it can key a cache. */
  readonly hidden: ReadonlySet<string>;
  scenePoint(e: Event): Point;
  /** The pick distance in document units at the present zoom. */
  tolerance(): number;
  renderTop(): void;
  setDoc(doc: FlatDocument): void;
  /** Selects items as the select tool shows them (fabric's active object too). */
  select(ids: string[]): void;
  /** Records what a tool other than select picked, and tells the host; fabric's selection is untouched. */
  pick(ids: string[]): void;
}
