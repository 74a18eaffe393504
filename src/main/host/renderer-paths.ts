import fs from 'node:fs';
import path from 'node:path';
import { AppError, type PathKind } from '../../shared/contract';

/** The platform's own file dialog for `kind`: the path chosen, or null when the user cancelled. */
export type PathChooser = (kind: PathKind) => Promise<string | null>;

export interface RendererPathsOptions {
  /**
   * Folders the person who started the studio picked (the harness's --allow, the app's
   * JINXIU_PICKED_FOLDERS): renderer paths inside them may be read and written.
   */
  folders?: readonly string[];
  /** Never written through a renderer path, even when picked: the library, which only the studio writes. */
  forbidden?: readonly string[];
  /** Absent where there are no native dialogs (the browser harness). */
  chooser?: PathChooser;
}

/**
 * What a dialog of each kind lets the renderer do with the path chosen: read or write, the file
 * alone or the folder with everything in it (a pack's files, a collection's captions and images).
 */
const GRANT: Readonly<Record<PathKind, { access: 'read' | 'write'; scope: 'file' | 'folder' }>> = {
  swatchPhoto: { access: 'read', scope: 'file' },
  flatSvg: { access: 'read', scope: 'file' },
  modelPackZip: { access: 'read', scope: 'file' },
  modelPackFolder: { access: 'read', scope: 'folder' },
  modelCheckpoint: { access: 'read', scope: 'file' },
  motifCollection: { access: 'read', scope: 'folder' },
  techPackPdf: { access: 'write', scope: 'file' },
  techPackFolder: { access: 'write', scope: 'folder' },
};

/**
 * Which file-system paths the renderer may name. The renderer is the part of the app that shows
 * outside content, so it is treated as possibly compromised: a path it sends is taken only when the
 * user chose it in the main side's own dialog, or it lies inside a folder picked at start. Paths are
 * compared after symlinks are resolved, so a link inside a picked folder cannot lead out of it. The
 * CLI does not come through here: its paths are the user's own shell's.
 */
export class RendererPaths {
  private readonly chosenToRead = new Set<string>();
  /** Folders chosen in a read dialog: anything below them may be read. */
  private readonly foldersChosenToRead: string[] = [];
  /** Files and folders chosen in a write dialog: the path itself and anything below it. */
  private readonly chosenToWrite: string[] = [];
  private readonly folders: string[];
  private readonly forbidden: string[];
  private readonly chooser: PathChooser | undefined;

  constructor(options: RendererPathsOptions = {}) {
    this.folders = (options.folders ?? []).map((folder) => {
      try {
        return fs.realpathSync(folder);
      } catch {
        throw new AppError('NOT_FOUND', `The folder ${folder} given for the studio to read and write in does not exist.`);
      }
    });
    this.forbidden = (options.forbidden ?? []).map(realPath);
    this.chooser = options.chooser;
  }

  /** Opens the dialog and remembers what was chosen; null when the user cancelled. */
  async choose(kind: PathKind): Promise<string | null> {
    if (!this.chooser) {
      const folders = this.folders.length > 0 ? this.folders.join(', ') : 'none were given; start it with --allow <folder>';
      throw new AppError('PATH_NOT_CHOSEN', `This studio runs in a browser, without file dialogs: type a path inside a folder it was started with (${folders}).`);
    }
    const chosen = await this.chooser(kind);
    if (chosen === null) return null;
    const grant = GRANT[kind];
    if (grant.access === 'write') this.chosenToWrite.push(realPath(chosen));
    else if (grant.scope === 'folder') this.foldersChosenToRead.push(realPath(chosen));
    else this.chosenToRead.add(realPath(chosen));
    return chosen;
  }

  /** `file` as an absolute path once the renderer may read it; `what` names it in the refusal. */
  readable(file: string, what: string): string {
    const real = realPath(file);
    if (this.chosenToRead.has(real) || [...this.foldersChosenToRead, ...this.folders].some((folder) => isWithin(folder, real))) return path.resolve(file);
    throw this.notChosen(file, what, 'read');
  }

  /**
   * The real path to write `target` (a file, or a folder of files) at, once the renderer may write
   * there: the resolved path is what gets written, so a link swapped in after the check leads nowhere new.
   */
  writable(target: string, what: string): string {
    const real = realPath(target);
    const library = this.forbidden.find((root) => isWithin(root, real));
    if (library !== undefined) {
      throw new AppError('PATH_NOT_CHOSEN', `${what} ${JSON.stringify(target)} lies inside the library folder ${library}, which only the studio itself writes.`);
    }
    if ([...this.chosenToWrite, ...this.folders].some((root) => isWithin(root, real))) return real;
    throw this.notChosen(target, what, 'write');
  }

  private notChosen(p: string, what: string, verb: 'read' | 'write'): AppError {
    const folders = this.folders.length > 0 ? `a folder the studio was started with (${this.folders.join(', ')})` : null;
    const why = this.chooser
      ? `was not chosen in a file dialog${folders ? ` and is not inside ${folders}` : ''}`
      : `is not inside ${folders ?? 'a folder the studio was started with (none were given)'}`;
    const next = this.chooser ? 'Pick it with Choose….' : 'Start the studio with --allow <folder> to use another folder.';
    return new AppError('PATH_NOT_CHOSEN', `${what} ${JSON.stringify(p)} ${why}, so the studio will not ${verb} it. ${next}`);
  }
}

/** `JINXIU_PICKED_FOLDERS` (or any such list): folders separated by the platform's path delimiter. */
export function foldersFromList(list: string | undefined): string[] {
  return (list ?? '').split(path.delimiter).filter((folder) => folder.trim() !== '');
}

/**
 * The absolute path with every symlink resolved, for a path that need not exist yet: the deepest
 * existing ancestor is resolved and the rest appended (path.resolve has removed any `..`).
 */
function realPath(p: string): string {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

function isWithin(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}
