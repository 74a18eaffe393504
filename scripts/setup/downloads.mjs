#!/usr/bin/env node
// Decides, before `npm ci`, whether the two downloads that come from outside the npm registry can be
// fetched here: the Electron binary (electron's install script, through @electron/get) and
// onnxruntime-node's CUDA libraries (its script/install.js, from the NuGet feed). Each is probed at
// the address its installer really uses, for a few seconds; one that cannot be fetched is skipped
// with one line saying what and why, instead of failing a long install. What the user has set is
// left alone. Prints shell lines for setup.sh to eval; messages go to stderr.
//
// Plain Node on purpose: it runs before `npm ci`, when there is no tsx and no node_modules.
// Test hooks: JINXIU_SETUP_NUGET_INDEX (the feed onnxruntime reads first), JINXIU_SETUP_PROBE_MS.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import url from 'node:url';

const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '../..');
const env = process.env;
const PROBE_MS = Number(env.JINXIU_SETUP_PROBE_MS) > 0 ? Number(env.JINXIU_SETUP_PROBE_MS) : 5000;

/** Electron's default: its GitHub releases (which redirect to GitHub's release-assets host). */
const ELECTRON_RELEASES = 'https://github.com/electron/electron/releases/download/';
/** onnxruntime-node's script/install-metadata.js: the NuGet v3 index it resolves the CUDA package from. */
const NUGET_INDEX = 'https://api.nuget.org/v3/index.json';
/** The platforms onnxruntime-node downloads anything for (install-metadata.js `requirements`). */
const ORT_DOWNLOADS_ON = new Set(['linux/x64']);

/** What one download comes to: shell lines for setup.sh, and the line that tells the technician, if any. */
const decision = (shell = [], message = null) => ({ shell, message });

/** The version npm ci will install: the lock file's, else package.json's range without its operator. */
function lockedVersion(name) {
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    const v = lock.packages?.[`node_modules/${name}`]?.version;
    if (v) return v;
  } catch {
    // No lock file: fall back to package.json.
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const range = pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];
  return range ? range.replace(/^[^\d]*/, '') : null;
}

/** @electron/get's mirrorVar: .npmrc (as npm passes it), package.json config, then ELECTRON_* variables. */
function electronVar(name, fallback) {
  const snake = name.replace(/([a-z])([A-Z])/g, (_, a, b) => `${a}_${b}`).toLowerCase();
  return (
    env[`npm_config_electron_${name.toLowerCase()}`] ||
    env[`NPM_CONFIG_ELECTRON_${snake.toUpperCase()}`] ||
    env[`npm_config_electron_${snake}`] ||
    env[`npm_package_config_electron_${name}`] ||
    env[`npm_package_config_electron_${snake}`] ||
    env[`ELECTRON_${snake.toUpperCase()}`] ||
    fallback
  );
}

/** The zip electron's install.js asks @electron/get for, and where @electron/get would have cached it. */
function electronArtifact(version) {
  const v = `v${version.replace(/^v/, '')}`;
  const platform = env.npm_config_platform || process.platform;
  const arch = env.npm_config_arch || process.arch;
  const file = electronVar('customFilename', `electron-${v}-${platform}-${arch}.zip`);
  const dir = electronVar('customDir', v).replace('{{ version }}', v.slice(1));
  const href = `${electronVar('mirror', ELECTRON_RELEASES)}${dir}/${file}`;
  // @electron/get's Cache: <cache root>/<sha256 of the URL without its file name>/<file name>.
  // The legacy parser on purpose: it is what @electron/get hashes, so the cache path comes out the same.
  process.noDeprecation = true;
  const { search: _search, hash: _hash, pathname, ...rest } = url.parse(href);
  const stripped = url.format({ ...rest, pathname: path.posix.dirname(pathname || 'electron') });
  const home = os.homedir();
  const root =
    env.electron_config_cache ||
    (process.platform === 'darwin'
      ? path.join(home, 'Library', 'Caches', 'electron')
      : process.platform === 'win32'
        ? path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'electron', 'Cache')
        : path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'electron'));
  const cached = path.join(root, crypto.createHash('sha256').update(stripped).digest('hex'), file);
  return { href, cached };
}

/** null when `href` can be fetched (its first byte, redirects followed), else why not in a few words. */
async function unreachable(href) {
  try {
    const res = await fetch(href, { headers: { Range: 'bytes=0-0' }, redirect: 'follow', signal: AbortSignal.timeout(PROBE_MS) });
    await res.body?.cancel();
    return res.ok ? null : `${new URL(res.url || href).host} answered HTTP ${res.status}`;
  } catch (err) {
    const host = new URL(href).host;
    if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `${host} did not answer within ${PROBE_MS / 1000} s`;
    const code = err?.cause?.code ?? err?.code;
    const words = { ECONNREFUSED: 'refused the connection', ENOTFOUND: 'could not be resolved', EAI_AGAIN: 'could not be resolved', ECONNRESET: 'reset the connection', ENETUNREACH: 'is on an unreachable network', EHOSTUNREACH: 'is unreachable' };
    return `${host} ${words[code] ?? `could not be reached (${code ?? err?.message ?? err})`}`;
  }
}

async function electron() {
  // Electron's install.js skips on any non-empty value, so that is the user's word.
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return decision([], 'skipping the Electron binary: ELECTRON_SKIP_BINARY_DOWNLOAD is set (npm start needs it; unset it to download).');
  }
  const version = lockedVersion('electron');
  if (!version) return decision();
  const { href, cached } = electronArtifact(version);
  if (fs.existsSync(cached)) return decision();
  // Behind a proxy @electron/get uses (ELECTRON_GET_USE_PROXY), a direct probe says nothing: the installer tries.
  if (env.ELECTRON_GET_USE_PROXY) return decision();
  const why = await unreachable(href);
  // An empty value would still be set for the installer, which reads any value as skip: unset it to download.
  if (!why) return decision(['unset ELECTRON_SKIP_BINARY_DOWNLOAD']);
  return decision(
    ['export ELECTRON_SKIP_BINARY_DOWNLOAD=1'],
    `skipping the Electron binary: ${why} (${href}); npm start needs it, the CLI, npm run studio and the tests do not. Set ELECTRON_MIRROR or rerun where it can be fetched.`,
  );
}

async function onnxruntimeCuda() {
  const flags = ['ONNXRUNTIME_NODE_INSTALL', 'ONNXRUNTIME_NODE_INSTALL_CUDA', 'npm_config_onnxruntime_node_install', 'npm_config_onnxruntime_node_install_cuda'];
  const set = flags.find((f) => env[f]);
  if (set) return decision([], env[set] === 'skip' ? `skipping onnxruntime's CUDA libraries: ${set}=skip is set (inference runs on the CPU; unset it to download).` : null);
  if (!ORT_DOWNLOADS_ON.has(`${os.platform()}/${os.arch()}`)) return decision();
  // The installer goes through global-agent's proxy when one is set; a direct probe would say nothing of it.
  if (env.GLOBAL_AGENT_HTTPS_PROXY || env.GLOBAL_AGENT_HTTP_PROXY) return decision();
  const index = env.JINXIU_SETUP_NUGET_INDEX || NUGET_INDEX;
  const why = await unreachable(index);
  if (!why) return decision();
  return decision(
    ['export ONNXRUNTIME_NODE_INSTALL=skip'],
    `skipping onnxruntime's CUDA libraries: ${why} (${index}); inference runs on the CPU. Rerun where it can be fetched for the GPU provider.`,
  );
}

// Probed side by side, so the two timeouts overlap; told in a fixed order.
const decisions = await Promise.all([electron(), onnxruntimeCuda()]);
for (const d of decisions) if (d.message) process.stderr.write(`setup: ${d.message}\n`);
process.stdout.write(decisions.flatMap((d) => d.shell.map((l) => `${l}\n`)).join(''));
