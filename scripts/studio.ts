import { spawn } from 'node:child_process';
import { Command, InvalidArgumentError } from 'commander';
import { startHarness } from '../src/main/host/harness';
import { defaultLibraryDir } from '../src/main/studio';

// `npm run studio`: the studio in a browser, over the loopback bridge. Build the renderer first
// (npx electron-vite build); the page's address carries the token, so open it as printed.

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return port;
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`Could not open a browser (${cmd as string}); open the address above yourself.\n`));
  child.unref();
}

const program = new Command('studio')
  .description('Serve Jinxiu Studio to a browser on 127.0.0.1')
  .option('--library <dir>', 'library folder (default: $JINXIU_LIBRARY or ~/JinxiuStudio)')
  .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 0)
  .option('--renderer <dir>', 'the built renderer', 'out/renderer')
  .option('--no-open', 'do not open a browser')
  .option('--allow <dir...>', 'folders the page may read and write files in by path (a browser has no file dialog); none by default')
  .parse();

const opts = program.opts<{ library?: string; port: number; renderer: string; open: boolean; allow?: string[] }>();

try {
  const harness = await startHarness({
    libraryDir: opts.library ?? defaultLibraryDir(),
    port: opts.port,
    rendererDir: opts.renderer,
    pickedFolders: opts.allow ?? [],
  });
  process.stdout.write(`Jinxiu Studio is serving the library ${harness.studio.library.dir}\n${harness.url}\n`);
  if (opts.open) openInBrowser(harness.url);
  const stop = () => {
    void harness.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
