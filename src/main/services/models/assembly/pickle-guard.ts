import path from 'node:path';
import { AppError } from '../../../../shared/contract';

/** Extensions PyTorch and its ecosystem use for pickled weights. */
const PICKLE_EXTENSIONS = new Set(['.ckpt', '.pt', '.pth', '.bin', '.pkl', '.pickle']);

/**
 * A pickle can run arbitrary code when it is loaded, so the studio never opens one, not even to read
 * its keys: it is recognised by its name before opening, and by its first bytes (a file renamed to
 * .safetensors) before anything else is parsed.
 */
export function refusePickleByName(file: string): void {
  const ext = path.extname(file).toLowerCase();
  if (PICKLE_EXTENSIONS.has(ext)) throw pickleRefusal(file, `(${ext})`);
}

/** `head` is the file's first bytes (at least 2; 4 to recognise a zip). */
export function refusePickleByContent(file: string, head: Uint8Array): void {
  // torch.save since PyTorch 1.6 writes a zip archive whose data.pkl holds the pickle.
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) throw pickleRefusal(file, '(a PyTorch zip archive)');
  // Pickle protocols 2-5 open with PROTO (0x80) and the protocol number; older torch.save files do too.
  if (head[0] === 0x80 && head[1] !== undefined && head[1] >= 2 && head[1] <= 5) throw pickleRefusal(file, `(pickle protocol ${head[1]})`);
}

function pickleRefusal(file: string, what: string): AppError {
  return new AppError(
    'INVALID_INPUT',
    `${path.basename(file)}: this is a pickle checkpoint ${what}; please use its .safetensors file. Pickles can run code when they are opened, so the studio never opens them.`,
    { path: file, reason: 'pickle' },
  );
}
