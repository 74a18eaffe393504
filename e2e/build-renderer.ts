import { execFileSync } from 'node:child_process';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
export const RENDERER_OUT = path.join(ROOT, 'out/renderer');

/**
 * The renderer alone, with the settings electron-vite gives it (relative base, out/renderer), for
 * when the main or preload bundle does not build yet. The browser harness needs nothing else.
 */
export async function buildRendererOnly(): Promise<void> {
  await build({
    configFile: false,
    root: path.join(ROOT, 'src/renderer'),
    base: './',
    // zod's sources carry comments Rollup warns about at length; real problems still fail the build.
    logLevel: 'error',
    plugins: [react()],
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      target: 'chrome130',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: { input: path.join(ROOT, 'src/renderer/index.html') },
    },
  });
}

export type BuildOutcome = 'electron-vite' | 'renderer-only';

/** The full app build when it works, else the renderer alone; says which, and why. */
export async function buildForE2e(log: (line: string) => void): Promise<BuildOutcome> {
  try {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'pipe' });
    return 'electron-vite';
  } catch (err) {
    const output = String((err as { stderr?: Buffer }).stderr ?? err);
    const lines = output.split('\n').map((l) => l.trim());
    const at = lines.findIndex((l) => /^error during build/i.test(l));
    const reason = (at >= 0 ? lines[at + 1] : lines.find((l) => /error/i.test(l))) || 'unknown reason';
    log(`[e2e] npx electron-vite build failed (${reason.trim()}); building the renderer alone.`);
    await buildRendererOnly();
    return 'renderer-only';
  }
}
