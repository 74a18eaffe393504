import { useEffect, useMemo, useRef, useState } from 'react';
import { viewOf, type FlatDocument, type FlatItem, type MeasuredLine } from '../../../../../shared/flat';
import { useStudioApi } from '../../../lib/api-context';
import { errorMessage } from '../../../lib/errors';
import type { ActionContext, Clipboard } from '../actions/types';
import type { EditorSettings } from '../canvas/controller';
import type { ToolId } from '../canvas/tools';
import { download } from './files';
import { useCanvasSlots, type TextAsk } from './useCanvasSlots';
import { useFlatSession } from './useFlatSession';
import { useProjectSwatches } from './useProjectSwatches';

const DEFAULT_SETTINGS: EditorSettings = {
  viewId: 'front',
  layerId: 'outline',
  symmetry: false,
  grid: false,
  snap: true,
  stitch: 'topstitch',
  stitchOffset: 6,
  swatchId: null,
  unit: 'cm',
};

/**
 * Everything the flat editor holds besides its layout: the open flat and its history (useFlatSession),
 * the tool and its settings, the selection, the clipboard, the canvases, and the context the action
 * registry runs in.
 */
export function useEditorSession(projectId: string) {
  const { client } = useStudioApi();
  const flat = useFlatSession(projectId);
  const [picking, setPicking] = useState(false);
  const [tool, setTool] = useState<ToolId>('select');
  const [selected, setSelected] = useState<string[]>([]);
  const [ask, setAsk] = useState<TextAsk | null>(null);
  const [settings, setSettings] = useState<EditorSettings>(DEFAULT_SETTINGS);
  // The clipboard outlives a switch to another flat of the project, as in any editor.
  const copied = useRef<FlatItem[]>([]);
  const clipboard = useMemo<Clipboard>(() => ({ items: () => copied.current, hold: (items) => void (copied.current = items) }), []);
  const importInput = useRef<HTMLInputElement>(null);
  // A chosen SVG waits here while the import form asks for its scale and views.
  const [pendingImport, setPendingImport] = useState<{ name: string; text: string } | null>(null);
  // Calibrating: the form, or the two clicks on the flat it waits for; `picked` is their line.
  const [calibrating, setCalibratingState] = useState<'form' | 'points' | null>(null);
  const [picked, setPicked] = useState<MeasuredLine | null>(null);
  const setCalibrating = (next: 'form' | 'points' | null) => {
    // The form opened anew (not back from picking) starts without a picked line.
    if (next !== 'form' || calibrating !== 'points') setPicked(null);
    setCalibratingState(next);
  };

  const doc = flat.open?.state.doc ?? null;
  const view = doc ? viewOf(doc, settings.viewId) : null;
  const viewId = view?.id ?? 'front';
  const canvases = useCanvasSlots({ viewId, run: flat.run, setSelected, setAsk, setSettings });
  const swatches = useProjectSwatches(projectId, tool === 'eyedropper', doc);

  // The active layer must exist in the open view.
  useEffect(() => {
    if (view && !view.layers.some((l) => l.id === settings.layerId)) {
      const first = view.layers.find((l) => !l.locked) ?? view.layers[0]!;
      setSettings((s) => ({ ...s, layerId: first.id }));
    }
  }, [view, settings.layerId]);

  const setSetting = <K extends keyof EditorSettings>(key: K, value: EditorSettings[K]) => setSettings((s) => ({ ...s, [key]: value }));
  /** Side by side, a view is shown by making its canvas the active one. */
  const showView = (id: typeof viewId) => (canvases.layout === 'split' ? canvases.activate(id) : setSetting('viewId', id));

  const importSvgFile = async (file: File) => {
    try {
      setPendingImport({ name: file.name.replace(/\.svg$/i, ''), text: await file.text() });
    } catch (err) {
      window.alert(errorMessage(err));
    }
  };
  const finishImport = async (imported: FlatDocument | null) => {
    setPendingImport(null);
    if (imported) await flat.createFlat(imported);
  };

  const answerAsk = (text: string) => {
    setAsk(null);
    if (ask && text.trim()) ask.done(text.trim());
  };

  const active = canvases.active;

  // The two clicks are taken on the canvas that takes the keys; Esc gives them up, choosing a tool too.
  useEffect(() => {
    if (calibrating !== 'points') return;
    const canvas = active.current;
    if (!canvas) return setCalibratingState(null);
    canvas.pickTwoPoints((line) => {
      setPicked(line);
      setCalibratingState(line ? 'form' : null);
    });
    const esc = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      // Before the editor's own keys, which would end a pen path or drop the selection instead.
      e.stopImmediatePropagation();
      e.preventDefault();
      setCalibratingState(null);
    };
    window.addEventListener('keydown', esc, true);
    return () => {
      window.removeEventListener('keydown', esc, true);
      canvas.cancelPick();
    };
  }, [calibrating, active]);
  const actions: ActionContext | null =
    doc && view
      ? {
          doc,
          view,
          selected,
          layerId: settings.layerId,
          tool,
          canUndo: flat.canUndo,
          canRedo: flat.canRedo,
          // Read when the action runs: a canvas hands over its controller after the render that made it.
          get canvas() {
            return active.current;
          },
          clipboard,
          run: flat.run,
          undo: flat.undo,
          redo: flat.redo,
          save: flat.saveNow,
          setTool,
          pickTemplate: () => setPicking(true),
          chooseSvgFile: () => importInput.current?.click(),
          calibrate: () => setCalibrating('form'),
          renderPng: async (d, v, dpi) => await client.flats.exportPng({ doc: d, viewId: v, dpi }),
          deliver: download,
          report: (err) => window.alert(errorMessage(err)),
        }
      : null;

  const historyMark = flat.open ? `${flat.open.state.history.cursor}/${flat.open.state.history.entries.length}` : '';

  return {
    flat,
    doc,
    view,
    viewId,
    historyMark,
    picking,
    setPicking,
    tool,
    selected,
    settings,
    setSetting,
    showView,
    canvases,
    swatches,
    ask,
    answerAsk,
    importInput,
    importSvgFile,
    pendingImport,
    finishImport,
    calibrating,
    setCalibrating,
    picked,
    actions,
  };
}

export type EditorSession = ReturnType<typeof useEditorSession>;
