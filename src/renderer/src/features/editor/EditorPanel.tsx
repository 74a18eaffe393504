import { useEffect, useMemo, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { FlatAttributes } from '../../../../shared/flat';
import { useEditorShortcuts } from './actions/useShortcuts';
import { EditorBar } from './EditorBar';
import { FlatCanvas } from './FlatCanvas';
import { FlatPicker } from './FlatPicker';
import { useDocDigest } from './model/useDocDigest';
import { useEditorSession } from './model/useEditorSession';
import { PropertiesPanel } from './PropertiesPanel';
import { ArrangePanel, LayersPanel, VersionsPanel } from './SidePanels';
import { CalibrateForm } from './CalibrateForm';
import { ImportFlatForm } from './ImportFlatForm';
import { TextAsk } from './TextAsk';
import { ToolOptions } from './ToolOptions';
import { ToolRail } from './ToolRail';
import './editor.css';

/** The open flat's id and attributes, for generation and the prompt's sketch/text conflicts. */
export interface OpenFlatSummary {
  id: string;
  attributes: FlatAttributes;
}

interface Props {
  className?: string;
  projectId: string;
  onOpenFlat?: (flat: OpenFlatSummary | undefined) => void;
  /**
   * Where layers, properties, arrange and versions go: a panel beside the editor, so the canvas keeps
   * the width; null while that panel is not there yet. Left out, they sit at the editor's right.
   */
  sideHost?: HTMLElement | null;
}

/** The flat editor: tools on the left, the canvas, layers, arrange and versions on the right. */
export function EditorPanel({ className, projectId, onOpenFlat, sideHost }: Props) {
  const { t } = useTranslation();
  const session = useEditorSession(projectId);
  const { flat, doc, view, actions: ctx, settings, canvases } = session;
  useEditorShortcuts(ctx);
  const panelRef = useRef<HTMLElement>(null);
  useDocDigest(panelRef, doc, session.historyMark);

  const openId = flat.open?.id;
  const attributes = doc?.attributes;
  useEffect(() => onOpenFlat?.(openId && attributes ? { id: openId, attributes } : undefined), [openId, attributes, onOpenFlat]);
  const splitSettings = useMemo(
    () => ({ front: { ...settings, viewId: 'front' as const }, back: { ...settings, viewId: 'back' as const } }),
    [settings],
  );

  const fileInput = (
    <input
      ref={session.importInput}
      type="file"
      accept=".svg,image/svg+xml"
      hidden
      data-testid="flat-import-input"
      onChange={(e) => {
        const file = e.target.files?.[0];
        e.target.value = '';
        if (file) void session.importSvgFile(file);
      }}
    />
  );

  const importForm = session.pendingImport && (
    <ImportFlatForm
      name={session.pendingImport.name}
      text={session.pendingImport.text}
      onImport={(d) => void session.finishImport(d)}
      onCancel={() => void session.finishImport(null)}
    />
  );

  // A project with flats opens one (the last open, else the newest): until it has, the editor is
  // loading, never the new-flat gallery, which is what New asks for (picking) or an empty project shows.
  const opening = !session.picking && (flat.flats === null || (flat.flats.length > 0 && !doc && !flat.error));
  if (!doc || !view || !ctx || session.picking) {
    return (
      <section className={`panel editor ${className ?? ''}`} data-testid="panel-editor">
        {fileInput}
        {importForm}
        {opening ? (
          <p className="ed-muted" data-testid="editor-loading">{t('editor:loading')}</p>
        ) : (
          <>
            <FlatPicker
              onPick={(d) => {
                session.setPicking(false);
                void flat.createFlat(d);
              }}
              onCancel={doc ? () => session.setPicking(false) : undefined}
            />
            <div className="ed-inline">
              <button type="button" className="button" data-testid="flat-import" onClick={() => session.importInput.current?.click()}>
                {t('editor:importSvg')}
              </button>
            </div>
          </>
        )}
        {flat.error && <p className="form-error">{flat.error}</p>}
      </section>
    );
  }

  const canvasProps = { doc, tool: session.tool, swatchColours: session.swatches.colours };
  const side = (
    <aside className="ed-side">
      <LayersPanel view={view} activeLayer={settings.layerId} onActive={(id) => session.setSetting('layerId', id)} run={flat.run} />
      <PropertiesPanel view={view} units={doc.units} selected={session.selected} run={flat.run} projectId={projectId} />
      <ArrangePanel view={view} selected={session.selected} run={flat.run} />
      <VersionsPanel versions={flat.versions} onName={(v, l) => void flat.nameVersion(v, l)} onRestore={(v) => void flat.restore(v)} />
    </aside>
  );
  return (
    <section
      className={`panel editor editor--open ${className ?? ''}`}
      data-testid="panel-editor"
      ref={panelRef}
      data-flat-id={flat.open?.id}
      data-history={session.historyMark}
      data-save-status={flat.status}
    >
      {fileInput}
      {importForm}
      {session.calibrating === 'form' && (
        <CalibrateForm
          doc={doc}
          view={view}
          picked={session.picked}
          onPickPoints={() => session.setCalibrating('points')}
          onApply={(command) => flat.run(command) !== null}
          onCancel={() => session.setCalibrating(null)}
          refusal={flat.error}
        />
      )}
      <EditorBar session={session} ctx={ctx} />
      <div className="ed-body">
        <ToolRail ctx={ctx} />
        <div className="ed-stage">
          <ToolOptions session={session} ctx={ctx} />
          <div className={`ed-canvases ${canvases.layout === 'split' ? 'ed-canvases--split' : ''}`}>
            {canvases.layout === 'split' && doc.views.length > 1 ? (
              (['front', 'back'] as const).map((v) => (
                <FlatCanvas key={v} {...canvasProps} settings={splitSettings[v]} host={canvases.hosts[v]} onReady={canvases.readies[v]} active={v === view.id} />
              ))
            ) : (
              <FlatCanvas key="single" {...canvasProps} settings={settings} host={canvases.hosts.single} onReady={canvases.readies.single} />
            )}
          </div>
          {session.ask && <TextAsk at={session.ask.at} onDone={session.answerAsk} />}
          {flat.error && (
            <div className="ed-toast" role="alert" data-testid="editor-error" onClick={flat.clearError}>
              {flat.error}
            </div>
          )}
        </div>
        {sideHost === undefined ? side : sideHost && createPortal(side, sideHost)}
      </div>
    </section>
  );
}
