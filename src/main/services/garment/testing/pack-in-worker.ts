import { afterAll, beforeAll } from 'vitest';
import { forkLauncher, InferenceWorker, type WorkerLauncher } from '../../../workers';
import { loadGarmentPack, type LoadedGarmentPack } from '../pack';

/**
 * A real worker process with one pack loaded in it, for the tests of one file: loaded before them,
 * unloaded and the worker shut down after. `pack()` is the loaded pack (only inside a test).
 */
export function packInWorker(dir: string, launch: WorkerLauncher = forkLauncher()): { worker: InferenceWorker; pack: () => LoadedGarmentPack } {
  const worker = new InferenceWorker({ launch, providers: () => ['cpu'] });
  let loaded: LoadedGarmentPack | undefined;
  beforeAll(async () => {
    loaded = await loadGarmentPack(dir, worker);
  });
  afterAll(async () => {
    await loaded?.unload();
    await worker.shutdown();
  });
  return {
    worker,
    pack: () => {
      if (!loaded) throw new Error(`the pack ${dir} is not loaded yet: call pack() inside a test`);
      return loaded;
    },
  };
}
