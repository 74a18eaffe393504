import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../shared/contract';
import { EditorMemoryContext, EditorPanel, type EditorMemory, type OpenFlatSummary } from '../features/editor';
import { MotifSearchPanel } from '../features/motifs';
import type { PromptState } from '../features/prompt';
import { SwatchPanel } from '../features/swatches';
import { TechPackPanel } from '../features/techpack';
import { GarmentSwatchMemoryContext, VariantsPanel, type GarmentSwatchMemory } from '../features/variants';
import { Dock } from './Dock';
import { projectMemory, type DockTab } from './project-memory';
import type { WorkspaceTab } from './route';
import './workspace.css';

interface Props {
  project: Project;
  tab: WorkspaceTab;
}

/**
 * The working layout of an open project: the flat editor takes the window, and one column beside it
 * holds the flat's layers, the prompt with Generate and the renders, the swatches and the motifs as
 * tabs. What the project keeps between visits (prompt, renders on show, flat and its view, tab) comes
 * from its memory. The tech pack is its own view.
 */
export function Workspace({ project, tab }: Props) {
  const { t } = useTranslation();
  const id = project.id;
  // Read once per visit; the shell gives each project its own Workspace.
  const [kept] = useState(() => projectMemory.read(id));
  // The open flat, lifted from the editor: generation renders it and the prompt checks text against it.
  const [openFlat, setOpenFlat] = useState<OpenFlatSummary | undefined>(undefined);
  const [prompt, setPromptState] = useState<PromptState>({ text: kept.prompt, overrides: kept.overrides });
  const [dockTab, setDockTabState] = useState<DockTab>(kept.dockTab);
  const [layersHost, setLayersHost] = useState<HTMLDivElement | null>(null);

  const setPrompt = useCallback(
    (next: PromptState) => {
      setPromptState(next);
      projectMemory.update(id, { prompt: next.text, overrides: next.overrides });
    },
    [id],
  );
  const setDockTab = useCallback(
    (next: DockTab) => {
      setDockTabState(next);
      projectMemory.update(id, { dockTab: next });
    },
    [id],
  );
  const rememberShown = useCallback((jobId: string) => void projectMemory.update(id, { shownJobId: jobId }), [id]);
  const swatchMemory = useMemo<GarmentSwatchMemory>(
    () => ({
      kept: (projectId) => projectMemory.read(projectId).garmentSwatch,
      remember: (projectId, choice) => void projectMemory.update(projectId, { garmentSwatch: choice }),
    }),
    [],
  );
  const editorMemory = useMemo<EditorMemory>(
    () => ({
      lastFlat: () => projectMemory.read(id).openFlatId,
      rememberFlat: (flatId) => void projectMemory.update(id, { openFlatId: flatId }),
      viewOf: (flatId) => projectMemory.read(id).flatViews[flatId] ?? null,
      rememberView: (flatId, transform) => projectMemory.rememberView(id, flatId, transform),
    }),
    [id],
  );

  return (
    <div className="workspace" data-testid="workspace" data-project-id={id}>
      <h1 className="visually-hidden" data-testid="workspace-title">
        {project.name}
      </h1>
      {tab === 'design' ? (
        <div className="studio" role="tabpanel" id="workspace-design" aria-label={t('app:workspace.design')}>
          <EditorMemoryContext.Provider value={editorMemory}>
            <EditorPanel className="studio__editor" projectId={id} onOpenFlat={setOpenFlat} sideHost={layersHost} />
          </EditorMemoryContext.Provider>
          <Dock
            tab={dockTab}
            onTab={setDockTab}
            layersRef={setLayersHost}
            hasFlat={openFlat !== undefined}
            generate={
              <GarmentSwatchMemoryContext.Provider value={swatchMemory}>
                <VariantsPanel
                  projectId={id}
                  prompt={prompt}
                  onPrompt={setPrompt}
                  flatAttributes={openFlat?.attributes}
                  flatId={openFlat?.id ?? null}
                  shownJobId={kept.shownJobId}
                  onShown={rememberShown}
                />
              </GarmentSwatchMemoryContext.Provider>
            }
            swatches={<SwatchPanel projectId={id} />}
            motifs={<MotifSearchPanel projectId={id} />}
          />
        </div>
      ) : (
        <div className="workspace__single" role="tabpanel" id="workspace-techpack" aria-label={t('app:workspace.techpack')}>
          <TechPackPanel projectId={id} />
        </div>
      )}
    </div>
  );
}
