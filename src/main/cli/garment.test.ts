import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJinxiu } from './test-kit';
import { TINY_PACK_DIR } from '../services/garment/testing/tiny-pack';
import { TEE_FLAT_SVG } from '../services/garment/testing/tee-flat';


let root: string;
let library: string;
let flatPath: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-generate-cli-'));
  library = path.join(root, 'library');
  flatPath = path.join(root, 'tee.svg');
  fs.writeFileSync(flatPath, TEE_FLAT_SVG);
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const generate = (...args: string[]) => runJinxiu(library, 'generate', '--flat', flatPath, '--prompt', 'a denim jacket', '--pack', TINY_PACK_DIR, ...args);
/** Everything under root but the flat: a refused command must leave no library, folder or file. */
const leftBehind = () => fs.readdirSync(root).filter((n) => n !== 'tee.svg');

describe('jinxiu generate refuses bad input before any work, in one line', () => {
  const cases: Array<{ args: string[]; message: string }> = [
    { args: ['--steps', '0'], message: '--steps takes a whole number from 1 to 200, not "0".' },
    { args: ['--steps', ''], message: '--steps takes a whole number from 1 to 200, not "".' },
    { args: ['--seed', '0x10'], message: '--seed takes a whole number from 0 to 4294967295, not "0x10".' },
    { args: ['--out', '/dev/null/x'], message: 'Cannot write to /dev/null/x: /dev/null is not a folder.' },
  ];

  for (const { args, message } of cases) {
    it(`generate ${args.map((a) => JSON.stringify(a)).join(' ')}`, async () => {
      const out = path.join(root, 'out');
      const withOut = args[0] === '--out' ? args : [...args, '--out', out];
      const text = await generate(...withOut);
      // No "step n/m" line either: the generation never started.
      expect(text).toEqual({ code: 1, stdout: '', stderr: `jinxiu: ${message} [INVALID_INPUT]\n` });
      const json = await generate(...withOut, '--json');
      expect(json.code).toBe(1);
      expect(json.stdout).toBe('');
      expect(JSON.parse(json.stderr)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message } });
      expect(leftBehind()).toEqual([]);
    });
  }

  it('reports a usage error as JSON with --json, too', async () => {
    const res = await runJinxiu(library, '--json', 'generate', '--flat', flatPath, '--out', path.join(root, 'out'));
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: "required option '--prompt <text>' not specified." } });
  });

  it('creates no output folder when the generation fails', async () => {
    const out = path.join(root, 'runs', 'denim');
    const res = await runJinxiu(library, 'generate', '--flat', flatPath, '--prompt', 'a denim jacket', '--pack', path.join(root, 'no-such-pack'), '--out', out);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^jinxiu: .*no-such-pack.* \[MODEL_MISSING\]\n$/);
    expect(fs.existsSync(path.join(root, 'runs'))).toBe(false);
  });
});
