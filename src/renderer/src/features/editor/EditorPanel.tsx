import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  exportSvg,
  importSvg,
  newId,
  STITCH_TYPES,
  transformItem,
  translate,
  type FlatAttributes,
  type FlatItem,
  type Point,
  type StitchType,
  type ViewId,
} from '../../../../shared/flat';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';
import { itemsById, type ControllerHost, type EditorController, type EditorSettings } from './canvas/controller';
import { TOOLS, toolForKey, type ToolId } from './canvas/tools';
import { FlatCanvas } from './FlatCanvas';
import { FlatPicker } from './FlatPicker';
import { docDigest } from './model/drawing';
import { base64ToBlob, download, fileStem } from './model/files';
import { useFlatSession } from './model/useFlatSession';
import { PropertiesPanel } from './PropertiesPanel';
import { ArrangePanel, LayersPanel, VersionsPanel } from './SidePanels';
import './editor.css';

interface Props {
  className?: string;
  projectId: string;
  /** The open flat (its id and attributes), for generation and the prompt's sketch/text conflicts. */
  onOpenFlat?: (flat: OpenFlatSummary | undefined) => void;
}

/** Which canvas: the one canvas, or one of front and back side by side. */
type CanvasSlot = 'single' | ViewId;

/** The clipboard outlives a flat switch, as in any editor. */
let clipboard: FlatItem[] = [];

const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'range', 'file', 'color']);
/** Keys belong to a field being typed in; a ticked checkbox or a pressed button keeps the shortcuts. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  ((target instanceof HTMLInputElement && !NOT_TYPED.has(target.type)) || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);

/** The flat editor: tools on the left, the canvas, layers, arrange and versions on the right. */
export interface OpenFlatSummary {
  id: string;
  attributes: FlatAttributes;
}

export function EditorPanel({ className, projectId, onOpenFlat }: Props) {
  const { t } = useTranslation();
  const { client } = useStudioApi();
  const session = useFlatSession(projectId);
  const [picking, setPicking] = useState(false);
  const [tool, setTool] = useState<ToolId>('select');
  const [selected, setSelected] = useState<string[]>([]);
  const [ask, setAsk] = useState<{ at: Point; done: (text: string) => void } | null>(null);
  const [swatches, setSwatches] = useState<{ id: string; name: string; hex: string }[]>([]);
  const [settings, setSettings] = useState<EditorSettings>({
    viewId: 'front',
    layerId: 'outline',
    symmetry: false,
    grid: false,
    snap: true,
    stitch: 'topstitch',
    stitchOffset: 6,
    swatchId: null,
    unit: 'cm',
  });
  /** Front and back as two synced canvases side by side, or one canvas showing the chosen view. */
  const [layout, setLayout] = useState<'single' | 'split'>('single');
  // The canvas that takes the keys: the only one, or with two side by side the one pressed last.
  const controller = useRef<EditorController | null>(null);
  const slots = useRef(new Map<CanvasSlot, EditorController>());
  const activeView = useRef<ViewId>(settings.viewId);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const importInput = useRef<HTMLInputElement>(null);
  const doc = session.open?.state.doc ?? null;
  const view = doc ? (doc.views.find((v) => v.id === settings.viewId) ?? doc.views[0]!) : null;

  const openId = session.open?.id;
  const attributes = doc?.attributes;
  useEffect(() => onOpenFlat?.(openId && attributes ? { id: openId, attributes } : undefined), [openId, attributes, onOpenFlat]);

  // The active layer must exist in the open view.
  useEffect(() => {
    if (view && !view.layers.some((l) => l.id === settings.layerId)) {
      const first = view.layers.find((l) => !l.locked) ?? view.layers[0]!;
      setSettings((s) => ({ ...s, layerId: first.id }));
    }
  }, [view, settings.layerId]);

  // Read again whenever the eyedropper is taken up, so a swatch imported meanwhile can be picked.
  const eyedropper = tool === 'eyedropper';
  useEffect(() => {
    client.swatches.list({ projectId }).then(
      (list) => setSwatches(list.map((s) => ({ id: s.id, name: s.name, hex: s.dominantColours[0]?.hex ?? '#d9c7a3' }))),
      () => setSwatches([]),
    );
  }, [client, projectId, eyedropper]);
  const swatchColours = useMemo(() => new Map(swatches.map((s) => [s.id, s.hex])), [swatches]);

  const { run: runCommand } = session;
  const activeSlot = (): CanvasSlot => (layoutRef.current === 'split' ? activeView.current : 'single');
  /** Makes a view the active one; the other canvas lets go of its selection, as only one view has one. */
  const activate = useCallback((view: ViewId) => {
    if (layoutRef.current !== 'split' || activeView.current === view) return;
    const before = slots.current.get(activeView.current);
    activeView.current = view;
    controller.current = slots.current.get(view) ?? null;
    before?.select([]);
    setSettings((s) => ({ ...s, viewId: view }));
  }, []);
  const hosts = useMemo(() => {
    const make = (slot: CanvasSlot): ControllerHost => ({
      run: runCommand,
      selection: (ids: string[]) => {
        if (slot === activeSlot()) setSelected(ids);
      },
      askText: (at: Point, done: (text: string) => void) => setAsk({ at, done }),
      pickSwatch: (swatchId: string) => setSettings((s) => ({ ...s, swatchId })),
      activate: slot === 'single' ? undefined : () => activate(slot),
      // Side by side, both views pan and zoom together, so front and back stay comparable.
      viewport: slot === 'single' ? undefined : (v) => slots.current.get(slot === 'front' ? 'back' : 'front')?.setViewport(v),
    });
    return { single: make('single'), front: make('front'), back: make('back') };
  }, [runCommand, activate]);

  const readies = useMemo(() => {
    const make = (slot: CanvasSlot) => (c: EditorController | null) => {
      if (c) slots.current.set(slot, c);
      else if (slots.current.get(slot)) slots.current.delete(slot);
      controller.current = slots.current.get(activeSlot()) ?? null;
    };
    return { single: make('single'), front: make('front'), back: make('back') };
  }, []);
  const splitSettings = useMemo(
    () => ({ front: { ...settings, viewId: 'front' as const }, back: { ...settings, viewId: 'back' as const } }),
    [settings],
  );

  const viewId = view?.id ?? 'front';
  const act = useMemo(
    () => ({
      remove: () => selected.length && session.run({ type: 'item.remove', viewId, ids: selected }),
      duplicate: () => {
        if (!selected.length || !view) return;
        const ids = itemsById(view, selected).map((i) => i.id);
        const newIds = ids.map(() => newId('copy'));
        if (session.run({ type: 'items.duplicate', viewId, ids, newIds, offset: { x: 10, y: 10 } })) controller.current?.select(newIds);
      },
      copy: () => {
        if (view && selected.length) clipboard = structuredClone(itemsById(view, selected));
      },
      paste: () => {
        if (!clipboard.length || !view) return;
        const items = clipboard.map((i) => ({ ...transformItem(i, translate(10, 10)), id: newId('paste') }));
        const layerId = view.layers.some((l) => l.id === settings.layerId) ? settings.layerId : undefined;
        if (session.run({ type: 'items.paste', viewId, items, layerId })) {
          clipboard = items;
          controller.current?.select(items.map((i) => i.id));
        }
      },
      group: () => {
        if (selected.length < 2) return;
        const id = newId('group');
        if (session.run({ type: 'group.create', viewId, id, memberIds: selected })) controller.current?.select([id]);
      },
      ungroup: () => {
        // The group itself (just grouped) or any of its members may be what is selected.
        const group = view?.groups.find((g) => selected.some((id) => id === g.id || g.memberIds.includes(id)));
        // Its members stay selected, each now on its own, as in Illustrator.
        if (group && session.run({ type: 'group.dissolve', viewId, id: group.id })) controller.current?.select(group.memberIds);
      },
      mirrorJoin: () => {
        const shape = selected[0];
        if (shape) session.run({ type: 'mirror.join', viewId, shapeId: shape });
      },
      mirrorTwin: () => {
        const shape = selected[0];
        if (shape) session.run({ type: 'mirror.twin', viewId, shapeId: shape, newId: newId('shape'), twinId: newId('twin') });
      },
    }),
    [selected, session, settings.layerId, view, viewId],
  );

  // Illustrator's keys.
  useEffect(() => {
    const down = (e: KeyboardEvent) => {
      if (isTyping(e.target) || !session.open) return;
      const mod = e.ctrlKey || e.metaKey;
      const k = e.key.toLowerCase();
      if (e.key === ' ') {
        controller.current?.setSpace(true);
        e.preventDefault();
        return;
      }
      if (mod && k === 'z') (e.shiftKey ? session.redo : session.undo)();
      else if (mod && k === 'y') session.redo();
      else if (mod && k === 'c') act.copy();
      else if (mod && k === 'v') act.paste();
      else if (mod && k === 'd') act.duplicate();
      else if (mod && k === 'g') (e.shiftKey ? act.ungroup : act.group)();
      else if (mod && k === '0') controller.current?.fit();
      else if (mod && (k === '=' || k === '+')) controller.current?.zoomBy(1.25);
      else if (mod && k === '-') controller.current?.zoomBy(0.8);
      else if (mod && k === 's') void session.saveNow();
      else if (e.key === 'Delete' || e.key === 'Backspace') {
        if (!controller.current?.deleteSelectedGuide()) act.remove();
      }
      else if (e.key === 'Enter' || e.key === 'Escape') controller.current?.commitPen();
      else if (e.key.startsWith('Arrow') && selected.length) {
        const step = e.shiftKey ? 10 : 1;
        const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
        const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0;
        session.run({ type: 'item.transform', viewId, ids: selected, matrix: [1, 0, 0, 1, dx, dy] });
      } else if (!mod && !e.altKey) {
        const next = toolForKey(e.key);
        if (!next) return;
        setTool(next);
      } else return;
      e.preventDefault();
    };
    const up = (e: KeyboardEvent) => {
      if (e.key === ' ') controller.current?.setSpace(false);
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, [act, selected, session, viewId]);

  const importFile = async (file: File) => {
    try {
      const text = await file.text();
      const { doc: imported } = importSvg(text, { name: file.name.replace(/\.svg$/i, '') });
      await session.createFlat(imported);
    } catch (err) {
      window.alert(errorMessage(err));
    }
  };
  const exportSvgFile = () => {
    if (!doc) return;
    download(`${fileStem(doc.name)}-${viewId}.svg`, new Blob([exportSvg(doc, { viewId })], { type: 'image/svg+xml' }));
  };
  const exportPngFile = async () => {
    if (!doc) return;
    try {
      const png = await client.flats.exportPng({ doc, viewId, dpi: 150 });
      download(`${fileStem(doc.name)}-${viewId}.png`, base64ToBlob(png.pngBase64, 'image/png'));
    } catch (err) {
      window.alert(errorMessage(err));
    }
  };

  const set = <K extends keyof EditorSettings>(key: K, value: EditorSettings[K]) => setSettings((s) => ({ ...s, [key]: value }));
  // The content fingerprint (for tests and support) is computed when the editor is idle, so an edit
  // of a 2,000-object flat does not wait for it.
  const panelRef = useRef<HTMLElement>(null);
  const historyMark = session.open ? `${session.open.state.history.cursor}/${session.open.state.history.entries.length}` : '';
  useEffect(() => {
    if (!doc) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 50));
    const cancel = window.cancelIdleCallback ?? window.clearTimeout;
    const handle = idle(() => {
      panelRef.current?.setAttribute('data-doc-digest', docDigest(doc));
      // Which state the fingerprint is of, so a reader can wait for it to catch up.
      panelRef.current?.setAttribute('data-digest-of', historyMark);
    });
    return () => cancel(handle);
  }, [doc, historyMark]);
  const selectedShape = view?.items.find((i) => i.id === selected[0]);

  const fileInput = (
    <input
      ref={importInput}
      type="file"
      accept=".svg,image/svg+xml"
      hidden
      data-testid="flat-import-input"
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) void importFile(file);
      }}
    />
  );

  if (!doc || !view || picking) {
    return (
      <section className={`panel editor ${className ?? ''}`} data-testid="panel-editor">
        {fileInput}
        {session.flats === null && !picking ? (
          <p className="ed-muted">{t('editor:loading')}</p>
        ) : (
          <>
            <FlatPicker
              onPick={(d) => {
                setPicking(false);
                void session.createFlat(d);
              }}
              onCancel={doc ? () => setPicking(false) : undefined}
            />
            <div className="ed-inline">
              <button type="button" className="button" data-testid="flat-import" onClick={() => importInput.current?.click()}>
                {t('editor:importSvg')}
              </button>
            </div>
          </>
        )}
        {session.error && <p className="form-error">{session.error}</p>}
      </section>
    );
  }

  return (
    <section
      className={`panel editor editor--open ${className ?? ''}`}
      data-testid="panel-editor"
      ref={panelRef}
      data-flat-id={session.open?.id}
      data-history={historyMark}
      data-save-status={session.status}
    >
      {fileInput}
      <header className="ed-bar">
        <select className="ed-select" value={session.open?.id} data-testid="flat-switch" onChange={(e) => void session.openFlat(e.target.value)} aria-label={t('editor:flats')}>
          {session.flats?.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
            </option>
          ))}
        </select>
        <div className="ed-group">
          <button type="button" className="ed-btn" data-testid="flat-new" onClick={() => setPicking(true)}>{t('editor:new')}</button>
          <button type="button" className="ed-btn" data-testid="flat-import" onClick={() => importInput.current?.click()}>{t('editor:importSvg')}</button>
          <button type="button" className="ed-btn" data-testid="flat-export-svg" onClick={exportSvgFile}>{t('editor:exportSvg')}</button>
          <button type="button" className="ed-btn" data-testid="flat-export-png" onClick={() => void exportPngFile()}>{t('editor:exportPng')}</button>
        </div>
        <div className="ed-group">
          <button type="button" className="ed-btn" data-testid="undo" disabled={!session.canUndo} onClick={session.undo} title="Ctrl+Z">↶</button>
          <button type="button" className="ed-btn" data-testid="redo" disabled={!session.canRedo} onClick={session.redo} title="Shift+Ctrl+Z">↷</button>
        </div>
        <div className="ed-seg" role="tablist" aria-label={t('editor:views')}>
          {doc.views.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={v.id === viewId}
              className="ed-seg__btn"
              data-testid={`view-${v.id}`}
              onClick={() => (layout === 'split' ? activate(v.id) : set('viewId', v.id))}
            >
              {t(`editor:view.${v.id}`)}
            </button>
          ))}
        </div>
        <label className="ed-toggle" title={t('editor:sideBySideHint')}>
          <input
            type="checkbox"
            checked={layout === 'split'}
            disabled={doc.views.length < 2}
            data-testid="toggle-side-by-side"
            onChange={(e) => {
              // The canvas that stays active is the view being edited.
              activeView.current = viewId;
              setSelected([]);
              setLayout(e.target.checked ? 'split' : 'single');
            }}
          />
          {t('editor:sideBySide')}
        </label>
        <div className="ed-group">
          <label className="ed-toggle" title={t('editor:symmetryHint')}>
            <input type="checkbox" checked={settings.symmetry} data-testid="toggle-symmetry" onChange={(e) => set('symmetry', e.target.checked)} />
            {t('editor:symmetry')}
          </label>
          <label className="ed-toggle">
            <input type="checkbox" checked={settings.snap} data-testid="toggle-snap" onChange={(e) => set('snap', e.target.checked)} />
            {t('editor:snap')}
          </label>
          <label className="ed-toggle">
            <input type="checkbox" checked={settings.grid} data-testid="toggle-grid" onChange={(e) => set('grid', e.target.checked)} />
            {t('editor:grid')}
          </label>
        </div>
        <span className={`ed-status ed-status--${session.status}`} data-testid="save-status">
          {t(`editor:status.${session.status}`)}
        </span>
      </header>
      <div className="ed-body">
        <nav className="ed-tools" aria-label={t('editor:tools')}>
          {TOOLS.map((tl) => (
            <button
              key={tl.id}
              type="button"
              className={`ed-tool ${tool === tl.id ? 'is-active' : ''}`}
              aria-pressed={tool === tl.id}
              data-testid={`tool-${tl.id}`}
              title={`${t(`editor:tool.${tl.id}`)} (${tl.key.toUpperCase()})`}
              onClick={() => setTool(tl.id)}
            >
              <ToolGlyph id={tl.id} />
            </button>
          ))}
        </nav>
        <div className="ed-stage">
          <div className="ed-options" data-testid="tool-options">
            <span className="ed-options__tool">{t(`editor:tool.${tool}`)}</span>
            {tool === 'stitch' && (
              <>
                <select className="ed-select" value={settings.stitch} data-testid="stitch-type" onChange={(e) => set('stitch', e.target.value as StitchType)}>
                  {STITCH_TYPES.map((s) => (
                    <option key={s} value={s}>
                      {t(`editor:stitch.${s}`)}
                    </option>
                  ))}
                </select>
                <label className="ed-field">
                  {t('editor:offset')}
                  <input type="number" className="ed-number" min={0} max={100} step={0.5} value={settings.stitchOffset} data-testid="stitch-offset" onChange={(e) => set('stitchOffset', Number(e.target.value) || 0)} />
                  mm
                </label>
              </>
            )}
            {tool === 'measure' && (
              <select className="ed-select" value={settings.unit} data-testid="measure-unit" onChange={(e) => set('unit', e.target.value as 'cm' | 'in')}>
                <option value="cm">cm</option>
                <option value="in">in</option>
              </select>
            )}
            {tool === 'eyedropper' && (
              <select className="ed-select" value={settings.swatchId ?? ''} data-testid="eyedropper-swatch" onChange={(e) => set('swatchId', e.target.value || null)}>
                <option value="">{t('editor:pickSwatch')}</option>
                {swatches.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
            <span className="ed-options__spacer" />
            <button type="button" className="ed-btn" data-testid="mirror-join" disabled={selectedShape?.type !== 'shape' || view.axisX === null} onClick={act.mirrorJoin} title={t('editor:mirrorJoinHint')}>
              {t('editor:mirrorJoin')}
            </button>
            <button type="button" className="ed-btn" data-testid="mirror-twin" disabled={selectedShape?.type !== 'shape' || view.axisX === null} onClick={act.mirrorTwin}>
              {t('editor:mirrorTwin')}
            </button>
            <button type="button" className="ed-btn" data-testid="zoom-fit" onClick={() => controller.current?.fit()}>
              {t('editor:fit')}
            </button>
          </div>
          <div className={`ed-canvases ${layout === 'split' ? 'ed-canvases--split' : ''}`}>
            {layout === 'split' && doc.views.length > 1 ? (
              (['front', 'back'] as const).map((v) => (
                <FlatCanvas
                  key={v}
                  doc={doc}
                  tool={tool}
                  settings={splitSettings[v]}
                  swatchColours={swatchColours}
                  host={hosts[v]}
                  onReady={readies[v]}
                  active={v === viewId}
                />
              ))
            ) : (
              <FlatCanvas key="single" doc={doc} tool={tool} settings={settings} swatchColours={swatchColours} host={hosts.single} onReady={readies.single} />
            )}
          </div>
          {ask && (
            <TextAsk
              at={ask.at}
              onDone={(text) => {
                setAsk(null);
                if (text.trim()) ask.done(text.trim());
              }}
            />
          )}
          {session.error && (
            <div className="ed-toast" role="alert" data-testid="editor-error" onClick={session.clearError}>
              {session.error}
            </div>
          )}
        </div>
        <aside className="ed-side">
          <LayersPanel view={view} activeLayer={settings.layerId} onActive={(id) => set('layerId', id)} run={session.run} />
          <PropertiesPanel view={view} units={doc.units} selected={selected} run={session.run} />
          <ArrangePanel view={view} selected={selected} run={session.run} />
          <VersionsPanel versions={session.versions} onName={(v, l) => void session.nameVersion(v, l)} onRestore={(v) => void session.restore(v)} />
        </aside>
      </div>
    </section>
  );
}

function TextAsk({ at, onDone }: { at: Point; onDone(text: string): void }) {
  const [text, setText] = useState('');
  return (
    <form
      className="ed-ask"
      style={{ left: at.x + 52, top: at.y + 40 }}
      onSubmit={(e) => {
        e.preventDefault();
        onDone(text);
      }}
    >
      <input autoFocus className="text-input" value={text} maxLength={2000} data-testid="text-input" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onDone('')} />
    </form>
  );
}

/** Small line glyphs in the manner of a vector editor's tool rail. */
function ToolGlyph({ id }: { id: ToolId }) {
  const p = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, strokeLinecap: 'round' as const, strokeLinejoin: 'round' as const };
  const glyphs: Record<ToolId, React.ReactNode> = {
    select: <path {...p} fill="currentColor" d="M5 3l12 8-5 1.2 3 5.8-2 1-3-5.8L6 17z" />,
    direct: <path {...p} d="M5 3l12 8-5 1.2 3 5.8-2 1-3-5.8L6 17z" />,
    pen: <path {...p} d="M4 20l3-9 6-6 6 6-6 6zM13 5l6 6M9.5 14.5a1.5 1.5 0 1 0 .01 0" />,
    line: <path {...p} d="M5 19L19 5" />,
    curve: <path {...p} d="M4 18C8 4 16 4 20 18" />,
    rect: <rect {...p} x="4" y="6" width="16" height="12" />,
    ellipse: <ellipse {...p} cx="12" cy="12" rx="8" ry="6" />,
    text: <path {...p} d="M5 6V4h14v2M12 4v16M9 20h6" />,
    stitch: <path {...p} strokeDasharray="3 2" d="M4 16c4-8 12-8 16 0" />,
    callout: <path {...p} d="M4 5h16v10H10l-4 4v-4H4z" />,
    measure: <path {...p} d="M3 15L15 3l6 6L9 21zM7 11l2 2M10 8l2 2M13 5l2 2" />,
    eyedropper: <path {...p} d="M14 4l6 6-3 1-7 7H7v-3l7-7zM3 21l4-4" />,
    zoom: <path {...p} d="M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM15.5 15.5L20 20M8 10.5h5M10.5 8v5" />,
    hand: <path {...p} d="M8 12V5.5a1.5 1.5 0 0 1 3 0V11m0-6.5a1.5 1.5 0 0 1 3 0V11m0-5a1.5 1.5 0 0 1 3 0v8a6 6 0 0 1-6 6h-1a6 6 0 0 1-5-2.7L3.5 13a1.5 1.5 0 0 1 2.5-1.6L8 14" />,
  };
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      {glyphs[id]}
    </svg>
  );
}
