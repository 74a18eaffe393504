import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkOutputFile, checkOutputFolder } from './output-path';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-out-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('checkOutputFolder', () => {
  it('names the file that stands where a folder must be', async () => {
    await expect(checkOutputFolder('/dev/null/x')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Cannot write to /dev/null/x: /dev/null is not a folder.' });
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'x');
    await expect(checkOutputFolder(file)).rejects.toMatchObject({ message: `Cannot write to ${file}: ${file} is a file, not a folder.` });
    await expect(checkOutputFolder(path.join(file, 'a', 'b'))).rejects.toMatchObject({ message: `Cannot write to ${path.join(file, 'a', 'b')}: ${file} is not a folder.` });
  });

  it('accepts a folder that does not exist yet without creating it', async () => {
    await checkOutputFolder(path.join(dir, 'runs', 'denim-jacket'));
    await checkOutputFolder(dir);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('checkOutputFile', () => {
  it('refuses a folder as the file and a file as its folder', async () => {
    await expect(checkOutputFile(dir)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: `Cannot write ${dir}: it is a folder.` });
    await expect(checkOutputFile('/dev/null/colorway.png')).rejects.toMatchObject({ message: 'Cannot write /dev/null/colorway.png: /dev/null is a file, not a folder.' });
    await checkOutputFile(path.join(dir, 'new', 'colorway.png'));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
