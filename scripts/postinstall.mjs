// Fetches the Electron binary where the network allows it. Electron's own install script is
// not run by npm (package.json "allowScripts": electron=false) because its failure would fail the
// whole install on machines without internet; here a failure only means `npm start` falls back
// to the browser host.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const dir = electronDir();
if (!dir) {
  console.log('[awb] electron package not installed: the app will run in the browser host (awb serve).');
} else if (existsSync(join(dir, 'path.txt'))) {
  console.log('[awb] Electron binary present.');
} else if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('[awb] ELECTRON_SKIP_BINARY_DOWNLOAD is set: `npm start` will use the browser host.');
} else {
  const r = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'pipe', timeout: 120_000, encoding: 'utf8' });
  if (r.status === 0 && existsSync(join(dir, 'path.txt'))) {
    console.log('[awb] Electron binary downloaded.');
  } else {
    const why = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-1)[0];
    console.log(`[awb] Electron binary unavailable (${why || 'download failed'}); \`npm start\` will use the browser host.`);
  }
}
