import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/jinxiu.js', import.meta.url));

/**
 * Runs the real `jinxiu` command (bin/jinxiu.js under plain Node) in a child process on the given
 * library folder. Asynchronous, so the calling test can serve HTTP meanwhile.
 */
export async function runJinxiu(library: string, ...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, '--library', library, ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
