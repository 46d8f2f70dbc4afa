// `npm start`: the desktop app where the Electron binary exists, otherwise the browser host
// (`awb serve`, 127.0.0.1 only), which prints the URL to open. Arguments after `--` go to the
// app (e.g. `npm start -- --home /data/awb`). Signals reach the child; its exit code is ours.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** The Electron executable, or why there is none. */
function electronBinary() {
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  // The package writes path.txt once its binary is downloaded; without it require('electron') throws.
  if (!existsSync(join(dir, 'path.txt'))) return { reason: 'its download did not happen or failed at install time' };
  const path = require('electron');
  return existsSync(path) ? { path } : { reason: `${path} does not exist` };
}

function ensureBuilt() {
  if (existsSync(join(root, 'out', 'main', 'index.js')) && existsSync(join(root, 'out', 'renderer', 'index.html'))) return;
  console.log('[awb] building the app (electron-vite build)…');
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function run(command, commandArgs) {
  // AWB_NODE: the Node.js the Electron shell runs its engine process with (this one).
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, AWB_NODE: process.execPath } });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('error', (e) => {
    console.error(`[awb] cannot start ${command}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    // A child ended by a signal is reported the shell's way: 128 + the signal number.
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1));
  });
}

ensureBuilt();
const electron = electronBinary();
if ('path' in electron) {
  run(electron.path, [root, ...args]);
} else {
  console.log(`[awb] Electron binary not available on this machine (${electron.reason}); starting the browser host instead.`);
  run(process.execPath, [join(root, 'bin', 'awb.js'), 'serve', ...args]);
}
