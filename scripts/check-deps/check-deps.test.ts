import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDeps } from './report';
import { SRC_LAYERS } from './layers';

let root: string;

/** A tiny source tree: file name -> text. */
function tree(files: Record<string, string>): string {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-check-deps-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const loops = (dir: string) => checkDeps(dir, []).cycles.map((c) => ({ loop: c.loop.map((f) => path.relative(dir, f)), typeOnly: c.typeOnly }));

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('import cycles', () => {
  it('finds a cycle made of type-only imports, which eslint import/no-cycle skips', () => {
    const dir = tree({
      'cli.ts': "import { register } from './services/motif/cli';\nexport interface CliContext { out(line: string): void }\nexport const run = register;\n",
      'services/motif/cli.ts': "import type { CliContext } from '../../cli';\nexport function register(ctx: CliContext) { ctx.out('x'); }\n",
      'services/motif/index.ts': "export * from './cli';\n",
    });
    expect(loops(dir)).toEqual([{ loop: ['cli.ts', 'services/motif/cli.ts', 'cli.ts'], typeOnly: false }]);
    const report = checkDeps(dir, []);
    expect(report.lines.at(-1)).toMatch(/^1 import cycle\(s\) and 0 layer violation\(s\) among 3 files/);
  });

  it('counts every form of type-only import, and says when a whole loop is types only', () => {
    const dir = tree({
      'a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'b.ts': "import { type C } from './c.js';\nexport interface B { c?: C }\n",
      'c.ts': "export interface C { a?: import('./a').A }\n",
      'd/index.ts': "export type { E } from '../e';\n",
      'e.ts': "import type {} from './d';\nexport type E = number;\n",
    });
    expect(loops(dir)).toEqual([
      { loop: ['a.ts', 'b.ts', 'c.ts', 'a.ts'], typeOnly: true },
      { loop: ['d/index.ts', 'e.ts', 'd/index.ts'], typeOnly: true },
    ]);
  });

  it('follows dynamic imports, require and re-exports, and ignores specifiers in comments and strings', () => {
    const dir = tree({
      'a.ts': "// import { b } from './b';\nconst s = \"from './b'\";\nexport const a = () => import('./b');\nexport { s };\n",
      'b.ts': "export * from './c';\n",
      'c.tsx': "const a = require('./a');\nexport const c = a;\n",
      'lone.ts': "import { a } from './a';\nexport const lone = a;\n",
    });
    expect(loops(dir)).toEqual([{ loop: ['a.ts', 'b.ts', 'c.tsx', 'a.ts'], typeOnly: false }]);
  });

  it('passes a tree without cycles, tests included', () => {
    const dir = tree({
      'a.ts': "import type { B } from './b';\nexport const a = (b: B) => b;\n",
      'b.ts': "export type B = string;\n",
      'a.test.ts': "import { a } from './a';\na('x');\n",
    });
    const report = checkDeps(dir, []);
    expect(report.cycles).toEqual([]);
    expect(report.lines).toEqual([`no import cycles and no layer violations among 3 files under ${dir}`]);
  });
});

describe('layers', () => {
  it('refuses a service that imports the CLI, the host, commander or electron, tests included', () => {
    const dir = tree({
      'main/cli/context.ts': 'export interface CliContext { out(line: string): void }\n',
      'main/host/events.ts': 'export class EventBus {}\n',
      'main/studio.ts': 'export class Studio {}\n',
      'main/services/render/cli.ts': "import type { Command } from 'commander';\nimport type { CliContext } from '../../cli/context';\nexport type R = [Command, CliContext];\n",
      'main/services/render/bus.test.ts': "import { EventBus } from '../../host/events';\nimport { Studio } from '../../studio';\nexport const b = [EventBus, Studio];\n",
      'main/services/render/window.ts': "import { app } from 'electron/main';\nexport const w = app;\n",
      'main/services/render/root.ts': "import { Studio } from '../../studio';\nexport const s = Studio;\n",
      'main/services/render/colorway.ts': "import sharp from 'sharp';\nimport { mkdir } from 'node:fs';\nexport const c = [sharp, mkdir];\n",
    });
    const found = checkDeps(dir, SRC_LAYERS).violations.map((v) => `${path.relative(dir, v.file)} ${v.specifier}`);
    expect(found.sort()).toEqual([
      'main/services/render/bus.test.ts ../../host/events',
      "main/services/render/cli.ts ../../cli/context",
      'main/services/render/cli.ts commander',
      'main/services/render/root.ts ../../studio',
      'main/services/render/window.ts electron/main',
    ]);
  });

  it('keeps the renderer and the preload to src/shared, but lets their transport tests start a real main side', () => {
    const dir = tree({
      'shared/ipc.ts': "export const IPC_INVOKE = 'jinxiu:invoke';\n",
      'main/host/ipc.ts': "export { IPC_INVOKE } from '../../shared/ipc';\n",
      'preload/index.ts': "import { IPC_INVOKE } from '../main/host/ipc';\nexport const p = IPC_INVOKE;\n",
      'preload/index.test.ts': "import { IPC_INVOKE } from '../main/host/ipc';\nexport const p = IPC_INVOKE;\n",
      'renderer/lib/client.ts': "import { IPC_INVOKE } from '../../shared/ipc';\nexport const r = IPC_INVOKE;\n",
    });
    const found = checkDeps(dir, SRC_LAYERS).violations.map((v) => `${path.relative(dir, v.file)} ${v.specifier}`);
    expect(found).toEqual(['preload/index.ts ../main/host/ipc']);
  });
});
