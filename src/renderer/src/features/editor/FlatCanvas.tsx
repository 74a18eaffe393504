import { useEffect, useRef } from 'react';
import type { FlatDocument } from '../../../../shared/flat';
import { acceptMotifDragOver, motifDropCommand } from '../motifs';
import { EditorController, type ControllerHost, type EditorSettings } from './canvas/controller';
import type { SwatchColours } from './canvas/objects';
import type { ToolId } from './canvas/tools';

interface Props {
  doc: FlatDocument;
  tool: ToolId;
  settings: EditorSettings;
  swatchColours: SwatchColours;
  host: ControllerHost;
  onReady(controller: EditorController | null): void;
}

/** The fabric canvas; React hands it the document, the controller keeps it in step incrementally. */
export function FlatCanvas({ doc, tool, settings, swatchColours, host, onReady }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const element = useRef<HTMLCanvasElement>(null);
  const controller = useRef<EditorController | null>(null);
  const hostRef = useRef(host);
  hostRef.current = host;
  const first = useRef({ doc, settings });

  useEffect(() => {
    const f = frame.current!;
    const proxy: ControllerHost = {
      run: (c) => hostRef.current.run(c),
      selection: (ids) => hostRef.current.selection(ids),
      askText: (p, done) => hostRef.current.askText(p, done),
      pickSwatch: (id) => hostRef.current.pickSwatch(id),
    };
    const c = new EditorController(element.current!, f, proxy, first.current.settings);
    controller.current = c;
    c.setDoc(first.current.doc);
    c.fit();
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
  useEffect(() => controller.current?.setDoc(doc), [doc]);
  useEffect(() => controller.current?.setTool(tool), [tool]);
  useEffect(() => controller.current?.setSwatchColours(swatchColours), [swatchColours]);

  return (
    <div
      className="flat-canvas"
      ref={frame}
      data-testid="editor-canvas"
      onDragOver={acceptMotifDragOver}
      onDrop={(e) => {
        // A motif dragged from the motif panel becomes a print on the panel under the cursor.
        const c = controller.current;
        const view = doc.views.find((v) => v.id === settings.viewId) ?? doc.views[0];
        const command = c && view ? motifDropCommand(e.dataTransfer, view, c.canvas.getScenePoint(e.nativeEvent), settings.layerId) : null;
        if (!command) return;
        e.preventDefault();
        hostRef.current.run(command);
      }}
    >
      <canvas ref={element} />
    </div>
  );
}
