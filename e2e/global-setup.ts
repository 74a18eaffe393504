import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { buildForE2e, RENDERER_OUT } from './build-renderer';
import { e2eFolders, electronUnavailable } from './fixtures';

type HarnessModule = typeof import('../src/main/host/harness');

/**
 * Builds the app, then starts the browser harness on a fresh temporary library. Workers find it
 * through JINXIU_E2E_URL (env set here reaches them). The returned function is the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.JINXIU_E2E_SKIP_BUILD !== '1') {
    const outcome = await buildForE2e((line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`[e2e] build: ${outcome}\n`);
    process.env.JINXIU_E2E_BUILD = outcome;
  }
  const libraryDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-'));
  // The main side imports package.json without an import attribute, which Playwright's own loader
  // refuses; tsx (which runs `npm run studio` too) loads it the same way the app's tooling does.
  const { startHarness } = (await tsImport('../src/main/host/harness.ts', import.meta.url)) as HarnessModule;
  // The models spec writes its local server's packs into this catalogue; it is read afresh on each call.
  const catalogueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-e2e-catalogue-'));
  const modelsCatalogue = path.join(catalogueDir, 'catalogue.json');
  // The model-recipes spec puts the toolchain's tiny recipes here, beside the catalogue that lists them.
  const modelsRecipes = path.join(catalogueDir, 'recipes');
  fs.mkdirSync(modelsRecipes);
  // The page names files by path (swatch photos, tech-pack exports) and a browser has no main-side
  // dialog, so the specs' folders are picked here: the temp folder, the repository's fixtures and the shared data.
  const harness = await startHarness({ libraryDir, rendererDir: RENDERER_OUT, modelsCatalogue, modelsRecipes, pickedFolders: e2eFolders() });
  process.env.JINXIU_E2E_URL = harness.url;
  process.env.JINXIU_E2E_CATALOGUE = modelsCatalogue;
  process.env.JINXIU_E2E_RECIPES = modelsRecipes;
  const noElectron = electronUnavailable();
  if (noElectron) process.stdout.write(`[e2e] ${noElectron}\n`);
  process.stdout.write(`[e2e] harness on ${harness.origin}, library ${libraryDir}\n`);
  return async () => {
    await harness.close();
    fs.rmSync(libraryDir, { recursive: true, force: true });
    fs.rmSync(catalogueDir, { recursive: true, force: true });
  };
}
