import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project } from '../../../shared/contract';
import { EditorPanel, type OpenFlatSummary } from '../features/editor';
import { MotifSearchPanel } from '../features/motifs';
import { PromptPanel } from '../features/prompt';
import { SwatchPanel } from '../features/swatches';
import { TechPackPanel } from '../features/techpack';
import { VariantsPanel } from '../features/variants';
import type { WorkspaceTab } from './route';
import './workspace.css';

interface Props {
  project: Project;
  tab: WorkspaceTab;
  onTab(tab: WorkspaceTab): void;
}

const TABS: readonly WorkspaceTab[] = ['design', 'techpack'];

/**
 * The working layout of an open project: motif search on the left, the flat editor in the centre
 * with the two variants beneath it, swatches and prompt on the right. The tech pack is its own view.
 */
export function Workspace({ project, tab, onTab }: Props) {
  const { t } = useTranslation();
  // The open flat, lifted from the editor: generation renders it and the prompt checks text against it.
  const [openFlat, setOpenFlat] = useState<OpenFlatSummary | undefined>(undefined);
  // The prompt, lifted so Generate (in the variants panel) renders what the prompt panel shows.
  const [promptText, setPromptText] = useState('');
  return (
    <div className="workspace" data-testid="workspace" data-project-id={project.id}>
      <div className="workspace__bar">
        <h1 className="workspace__title" data-testid="workspace-title">
          {project.name}
        </h1>
        <div className="tabs" role="tablist" aria-label={t('app:workspace.views')}>
          {TABS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              className="tabs__tab"
              aria-selected={tab === id}
              data-testid={`workspace-tab-${id}`}
              onClick={() => onTab(id)}
            >
              {t(`app:workspace.${id}`)}
            </button>
          ))}
        </div>
      </div>
      {tab === 'design' ? (
        <div className="workspace__grid" role="tabpanel">
          <MotifSearchPanel className="area-motifs" projectId={project.id} />
          <EditorPanel className="area-editor" projectId={project.id} onOpenFlat={setOpenFlat} />
          <VariantsPanel
            className="area-variants"
            projectId={project.id}
            promptText={promptText}
            onPromptText={setPromptText}
            flatAttributes={openFlat?.attributes}
            flatId={openFlat?.id ?? null}
          />
          <div className="area-side">
            <SwatchPanel projectId={project.id} />
            <PromptPanel projectId={project.id} flat={openFlat?.attributes} text={promptText} onTextChange={setPromptText} />
          </div>
        </div>
      ) : (
        <div className="workspace__single" role="tabpanel">
          <TechPackPanel projectId={project.id} />
        </div>
      )}
    </div>
  );
}
