import { useCallback, useEffect, useRef, useState } from 'react';
import type { FlatSummary, FlatVersion, StoredFlat } from '../../../../../shared/contract';
import {
  canRedo,
  canUndo,
  emptyHistory,
  execute,
  redo,
  undo,
  type FlatCommandInput,
  type FlatDocument,
  type FlatState,
} from '../../../../../shared/flat';
import { useStudioApi } from '../../../lib/api-context';
import { errorMessage } from '../../../lib/errors';
import { useEditorMemory } from './editor-memory';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

/** How long after the last edit the flat is saved; the issue asks for under a second. */
export const AUTOSAVE_DELAY_MS = 600;
const HISTORY_LIMIT = 200;

interface OpenFlat {
  id: string;
  state: FlatState;
}

/**
 * The open flat: its document and undo history, every edit a command, saved to the library a moment
 * after the last edit (and at once when the page goes away or another flat is opened).
 */
export function useFlatSession(projectId: string) {
  const { client } = useStudioApi();
  const [flats, setFlats] = useState<FlatSummary[] | null>(null);
  const [open, setOpen] = useState<OpenFlat | null>(null);
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const [versions, setVersions] = useState<FlatVersion[]>([]);
  const openRef = useRef<OpenFlat | null>(null);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const memory = useEditorMemory();
  const memoryRef = useRef(memory);
  memoryRef.current = memory;

  const refreshList = useCallback(async () => {
    const list = await client.flats.list({ projectId });
    setFlats(list);
    return list;
  }, [client, projectId]);

  const refreshVersions = useCallback(
    async (id: string) => {
      try {
        setVersions(await client.flats.versions({ id }));
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [client],
  );

  const saveNow = useCallback(async () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const current = openRef.current;
    if (!current || !dirty.current) return;
    dirty.current = false;
    setStatus('saving');
    try {
      await client.flats.save({ id: current.id, doc: current.state.doc, history: current.state.history });
      // An edit made while the save was on its way is saved by its own timer.
      if (!dirty.current) setStatus('saved');
      void refreshVersions(current.id);
    } catch (err) {
      dirty.current = true;
      setStatus('error');
      setError(errorMessage(err));
    }
  }, [client, refreshVersions]);

  const adopt = useCallback(
    (stored: StoredFlat) => {
      const next = { id: stored.flat.id, state: { doc: stored.doc, history: stored.history ?? emptyHistory(HISTORY_LIMIT) } };
      openRef.current = next;
      dirty.current = false;
      setOpen(next);
      setStatus('saved');
      memoryRef.current?.rememberFlat(stored.flat.id);
      void refreshVersions(stored.flat.id);
    },
    [refreshVersions],
  );

  const change = useCallback((state: FlatState) => {
    const current = openRef.current;
    if (!current) return;
    const next = { id: current.id, state };
    openRef.current = next;
    setOpen(next);
    dirty.current = true;
    setStatus('pending');
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNowRef.current(), AUTOSAVE_DELAY_MS);
  }, []);
  const saveNowRef = useRef(saveNow);
  saveNowRef.current = saveNow;

  /** Runs one edit; a refused edit (locked layer, bad input) leaves the flat as it was and says why. */
  const run = useCallback(
    (command: FlatCommandInput): FlatDocument | null => {
      const current = openRef.current;
      if (!current) return null;
      try {
        const next = execute(current.state, command);
        change(next);
        setError(null);
        return next.doc;
      } catch (err) {
        setError(errorMessage(err));
        return null;
      }
    },
    [change],
  );

  const undoEdit = useCallback(() => {
    const current = openRef.current;
    if (current && canUndo(current.state)) change(undo(current.state));
  }, [change]);
  const redoEdit = useCallback(() => {
    const current = openRef.current;
    if (current && canRedo(current.state)) change(redo(current.state));
  }, [change]);

  const openFlat = useCallback(
    async (id: string) => {
      await saveNow();
      try {
        adopt(await client.flats.get({ id }));
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [adopt, client, saveNow],
  );

  const createFlat = useCallback(
    async (doc: FlatDocument) => {
      await saveNow();
      try {
        adopt(await client.flats.create({ projectId, doc }));
        await refreshList();
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [adopt, client, projectId, refreshList, saveNow],
  );

  const nameVersion = useCallback(
    async (version: number, label: string) => {
      const current = openRef.current;
      if (!current) return;
      await saveNow();
      try {
        await client.flats.nameVersion({ id: current.id, version, label });
        await refreshVersions(current.id);
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [client, refreshVersions, saveNow],
  );

  const restore = useCallback(
    async (version: number) => {
      const current = openRef.current;
      if (!current) return;
      await saveNow();
      try {
        adopt(await client.flats.restore({ id: current.id, version }));
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [adopt, client, saveNow],
  );

  // Opens the flat that was open when the project was last left, else the newest one, if it has any.
  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const list = await refreshList();
        const last = memoryRef.current?.lastFlat();
        const first = list.find((f) => f.id === last) ?? list[0];
        if (live && first && !openRef.current) adopt(await client.flats.get({ id: first.id }));
      } catch (err) {
        if (live) setError(errorMessage(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [adopt, client, refreshList]);

  // The last edits must not be lost when the page goes away.
  useEffect(() => {
    const flush = () => void saveNowRef.current();
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, []);

  return {
    flats,
    open,
    status,
    error,
    clearError: () => setError(null),
    versions,
    run,
    undo: undoEdit,
    redo: redoEdit,
    canUndo: open ? canUndo(open.state) : false,
    canRedo: open ? canRedo(open.state) : false,
    openFlat,
    createFlat,
    nameVersion,
    restore,
    saveNow,
  };
}

export type FlatSession = ReturnType<typeof useFlatSession>;
