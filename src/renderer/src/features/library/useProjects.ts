import { useCallback, useEffect, useRef, useState } from 'react';
import type { Project } from '../../../../shared/contract';
import { useStudioApi } from '../../lib/api-context';
import { errorMessage } from '../../lib/errors';

export type ProjectsState =
  | { status: 'loading'; projects: Project[] }
  | { status: 'ready'; projects: Project[] }
  | { status: 'error'; projects: Project[]; error: string };

/**
 * The project list as main holds it. Every change goes through the contract and is followed by a
 * fresh list, so what is shown is what is saved, never a local guess.
 */
export function useProjects() {
  const { client } = useStudioApi();
  const [state, setState] = useState<ProjectsState>({ status: 'loading', projects: [] });
  // Answers can arrive out of order; only the latest request may set the list.
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setState((s) => ({ status: 'loading', projects: s.projects }));
    try {
      const projects = await client.projects.list({});
      if (mine === generation.current) setState({ status: 'ready', projects });
    } catch (err) {
      if (mine === generation.current) setState((s) => ({ status: 'error', projects: s.projects, error: errorMessage(err) }));
    }
  }, [client]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const create = useCallback(
    async (name: string) => {
      const project = await client.projects.create({ name });
      await reload();
      return project;
    },
    [client, reload],
  );

  const rename = useCallback(
    async (id: string, name: string) => {
      const project = await client.projects.rename({ id, name });
      await reload();
      return project;
    },
    [client, reload],
  );

  const remove = useCallback(
    async (id: string) => {
      await client.projects.delete({ id });
      await reload();
    },
    [client, reload],
  );

  return { state, reload, create, rename, remove };
}
