import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { viewOf, type FlatDocument } from '../../../../shared/flat';
import { FlatRegionPicker, useMotifDrop } from '../motifs';
import { EditorController, type ControllerHost, type EditorSettings } from './canvas/controller';
import { transformFor, useEditorMemory, viewportOf, type EditorMemory } from './model/editor-memory';
import type { SwatchColours } from './canvas/objects';
import type { ToolId } from './canvas/tools';

interface Props {
  doc: FlatDocument;
  tool: ToolId;
  /** `settings.viewId` is the view this canvas shows. */
  settings: EditorSettings;
  swatchColours: SwatchColours;
  host: ControllerHost;
  onReady(controller: EditorController | null): void;
  /** With two canvases side by side: whether this one holds the selection and takes the keys. */
  active?: boolean;
}

/** A flat's remembered zoom and pan, else the whole page: never the last flat's view over blank paper. */
function showFlat(c: EditorController, flatId: string, memory: EditorMemory | null): void {
  const saved = memory?.viewOf(flatId);
  c.fit();
  if (saved) {
    const width = c.canvas.getWidth();
    const height = c.canvas.getHeight();
    c.setViewport(transformFor(saved, width, height));
    // Fitting told the memory its own view; the restored one is what stands.
    memory?.rememberView(flatId, viewportOf(transformFor(saved, width, height), width, height));
  }
}

/**
 * The fabric canvas with its rulers; React hands it the document, the controller keeps it in step
 * incrementally.
 */
export function FlatCanvas({ doc, tool, settings, swatchColours, host, onReady, active }: Props) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const element = useRef<HTMLCanvasElement>(null);
  const rulerTop = useRef<HTMLCanvasElement>(null);
  const rulerLeft = useRef<HTMLCanvasElement>(null);
  const controller = useRef<EditorController | null>(null);
  const hostRef = useRef(host);
  hostRef.current = host;
  const first = useRef({ doc, settings });
  // Front and back side by side fit their own half; the view kept for a flat is the one canvas's.
  const memory = useEditorMemory();
  const memoryRef = useRef(active === undefined ? memory : null);
  memoryRef.current = active === undefined ? memory : null;
  // The document's id is its stored flat's id.
  const flatId = useRef(doc.id);

  useEffect(() => {
    const f = frame.current!;
    const proxy: ControllerHost = {
      run: (c) => hostRef.current.run(c),
      selection: (ids) => hostRef.current.selection(ids),
      askText: (p, done) => hostRef.current.askText(p, done),
      pickSwatch: (id) => hostRef.current.pickSwatch(id),
      activate: () => hostRef.current.activate?.(),
      viewport: (v) => {
        const c = controller.current;
        if (c) memoryRef.current?.rememberView(flatId.current, viewportOf(v, c.canvas.getWidth(), c.canvas.getHeight()));
        hostRef.current.viewport?.(v);
      },
    };
    const c = new EditorController(element.current!, f, proxy, first.current.settings);
    controller.current = c;
    c.attachRulers(rulerTop.current!, rulerLeft.current!);
    c.setDoc(first.current.doc);
    showFlat(c, flatId.current, memoryRef.current);
    onReady(c);
    const observer = new ResizeObserver(() => c.resize(f.clientWidth, f.clientHeight));
    observer.observe(f);
    return () => {
      observer.disconnect();
      onReady(null);
      c.dispose();
      controller.current = null;
    };
  }, [onReady]);

  useEffect(() => controller.current?.setSettings(settings), [settings]);
  useEffect(() => {
    const c = controller.current;
    if (!c) return;
    c.setDoc(doc);
    if (doc.id !== flatId.current) {
      flatId.current = doc.id;
      showFlat(c, doc.id, memoryRef.current);
    }
  }, [doc]);
  useEffect(() => controller.current?.setTool(tool), [tool]);
  useEffect(() => controller.current?.setSwatchColours(swatchColours), [swatchColours]);
  const motifDrop = useMotifDrop({
    view: viewOf(doc, settings.viewId),
    layerId: settings.layerId,
    toDocument: (e) => controller.current?.canvas.getScenePoint(e.nativeEvent) ?? null,
    run: (command) => hostRef.current.run(command),
  });

  return (
    <div className={`ed-canvas-wrap ${active ? 'is-active' : ''}`} data-testid="canvas-wrap" data-view={settings.viewId}>
      {/* The rulers read cm of the garment at the flat's calibrated scale, whatever its drawing units. */}
      <div className="ed-ruler-corner" data-testid="ruler-unit" translate="no">
        cm
      </div>
      <canvas ref={rulerTop} className="ed-ruler ed-ruler--top" data-testid="ruler-top" title={t('editor:rulerTop')} />
      <canvas ref={rulerLeft} className="ed-ruler ed-ruler--left" data-testid="ruler-left" title={t('editor:rulerLeft')} />
      <div
        className="flat-canvas"
        ref={frame}
        data-testid="editor-canvas"
        data-view={settings.viewId}
        // A motif dragged from the motif panel becomes a print or a panel fill where it is dropped.
        onDragOver={motifDrop.onDragOver}
        onDrop={motifDrop.onDrop}
      >
        <canvas ref={element} />
        <FlatRegionPicker doc={doc} viewId={settings.viewId} />
        {motifDrop.menu}
      </div>
    </div>
  );
}
