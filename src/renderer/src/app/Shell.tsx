import { useState } from 'react';
import { ProjectLibrary } from '../features/library';
import { ModelPacksPanel, OpenModelsContext } from '../features/models';
import { libraryRoute, openProject, type Route } from './route';
import { TopBar } from './TopBar';
import { Workspace } from './Workspace';

/** The frame of the studio: top bar above, one view below. */
export function Shell() {
  const [route, setRoute] = useState<Route>(libraryRoute);

  return (
    <OpenModelsContext.Provider value={() => setRoute({ view: 'models' })}>
      <div className="shell">
        <TopBar route={route} onNavigate={setRoute} />
        <main className="shell__main">
          {route.view === 'library' && <ProjectLibrary onOpen={(p) => setRoute(openProject(p))} />}
          {route.view === 'models' && (
            <div className="shell__page">
              <ModelPacksPanel />
            </div>
          )}
          {route.view === 'project' && (
            <Workspace project={route.project} tab={route.tab} onTab={(tab) => setRoute({ ...route, tab })} />
          )}
        </main>
      </div>
    </OpenModelsContext.Provider>
  );
}
