import type { FlatCommandInput, FlatDocument, FlatItem, FlatView } from '../../../../../shared/flat';
import type { ToolId } from '../canvas/tools';

/** What an action may ask of the canvas that takes the keys (the active one, side by side). */
export interface CanvasHandle {
  select(ids: string[]): void;
  fit(): void;
  zoomBy(factor: number): void;
  setSpace(down: boolean): void;
  commitPen(): void;
  /** Deletes the guide under selection, if there is one; false leaves the items to be deleted. */
  deleteSelectedGuide(): boolean;
}

/** Items copied, kept by the editor session so that they outlive a switch to another flat. */
export interface Clipboard {
  items(): readonly FlatItem[];
  hold(items: FlatItem[]): void;
}

/** The editor as an action finds it when it runs: an open flat, its view on screen, the selection. */
export interface ActionContext {
  doc: FlatDocument;
  view: FlatView;
  selected: readonly string[];
  /** The layer new items go on. */
  layerId: string;
  tool: ToolId;
  canUndo: boolean;
  canRedo: boolean;
  /** Null for the moment a canvas is being replaced (a switch to side by side). */
  canvas: CanvasHandle | null;
  clipboard: Clipboard;
  /** Runs one edit on the document; null when it was refused (the session says why). */
  run(command: FlatCommandInput): FlatDocument | null;
  undo(): void;
  redo(): void;
  save(): Promise<void>;
  setTool(tool: ToolId): void;
  /** Opens the template picker for a new flat. */
  pickTemplate(): void;
  /** Opens the file dialog for an SVG to import as a new flat. */
  chooseSvgFile(): void;
  /** Opens the form that sets the flat's real-world scale from one length the technician knows. */
  calibrate(): void;
  /** The main side's rasterisation of a view, base64 PNG. */
  /** The view as PNG, base64, and the print scale it is drawn at (1 is real size, 10 is 1:10). */
  renderPng(doc: FlatDocument, viewId: FlatView['id'], dpi: number): Promise<{ pngBase64: string; printScale: number }>;
  /** Hands a file to the technician (the browser's download, Electron's save dialog). */
  deliver(fileName: string, data: Blob): void;
  /** Tells the technician that something did not work. */
  report(error: unknown): void;
}

/**
 * One thing the editor can do, wherever it is asked for: the toolbar, the tool rail, a key. The
 * name is also the button's test id.
 */
export interface EditorAction<Name extends string = string> {
  name: Name;
  /** An 'editor:' translation key. */
  labelKey: string;
  /** A longer explanation for the tooltip, where the label alone is not enough. */
  hintKey?: string;
  /** As parseShortcut reads them; the first is the one a tooltip shows. */
  shortcuts?: readonly string[];
  /** Without it, the action is always available while a flat is open. */
  enabledWhen?(ctx: ActionContext): boolean;
  /** For actions that are a state (the current tool): whether it is on. */
  checked?(ctx: ActionContext): boolean;
  perform(ctx: ActionContext): void | Promise<void>;
  /** For a key held down (Space pans): what letting go of it does. */
  release?(ctx: ActionContext): void;
}

/** Keeps the literal name, so the registry can list which names exist. */
export const defineAction = <const Name extends string>(action: EditorAction<Name>): EditorAction<Name> => action;

/** Most edits want something selected. */
export const hasSelection = (ctx: ActionContext): boolean => ctx.selected.length > 0;
