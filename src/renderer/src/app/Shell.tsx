import { useState } from 'react';
import { ProjectLibrary } from '../features/library';
import { ModelPacksPanel, OpenModelsContext } from '../features/models';
import { libraryRoute, openProject, type ProjectRoute, type Route } from './route';
import { TopBar } from './TopBar';
import { Workspace } from './Workspace';

/** The frame of the studio: top bar above, one view below. */
export function Shell() {
  const [route, setRoute] = useState<Route>(libraryRoute);
  // The project left for Projects or Models, one click away in the top bar, on the tab it was on.
  const [lastProject, setLastProject] = useState<ProjectRoute | null>(null);
  const navigate = (next: Route) => {
    if (next.view === 'project') setLastProject(next);
    setRoute(next);
  };

  return (
    <OpenModelsContext.Provider value={() => navigate({ view: 'models' })}>
      <div className="shell">
        <TopBar route={route} lastProject={lastProject} onNavigate={navigate} />
        <main className="shell__main">
          {route.view === 'library' && (
            <ProjectLibrary
              onOpen={(p) => navigate(lastProject?.project.id === p.id ? { ...lastProject, project: p } : openProject(p))}
              onDeleted={(id) => setLastProject((last) => (last?.project.id === id ? null : last))}
              onRenamed={(p) => setLastProject((last) => (last?.project.id === p.id ? { ...last, project: p } : last))}
            />
          )}
          {route.view === 'models' && (
            <div className="shell__page">
              <ModelPacksPanel />
            </div>
          )}
          {/* Keyed by project: each project starts from its own memory, never from the last one's state. */}
          {route.view === 'project' && <Workspace key={route.project.id} project={route.project} tab={route.tab} />}
        </main>
      </div>
    </OpenModelsContext.Provider>
  );
}
