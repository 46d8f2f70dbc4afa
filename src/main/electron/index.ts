// Electron main process: a thin shell that opens the engine, serves the built renderer from a
// private origin, and connects one window to the engine over IPC. All work happens in the engine.
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, session } from 'electron';
import { RemoteEngine } from '../engine-process/remote-engine';
import { ENGINE_VERSION } from '../engine/version';
import { builtRendererDir } from '../serve/static-files';
import { buildAppMenu } from './app-menu';
import { connectIpc } from './ipc';
import { createMainWindow } from './main-window';
import { registerRendererScheme, RENDERER_ORIGIN, serveRenderer } from './renderer-protocol';

const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

registerRendererScheme();
app.enableSandbox();

/** `--home DIR` after the app path (`npm start -- --home DIR`); else the engine's own default. */
function homeArgument(): string | undefined {
  const i = process.argv.indexOf('--home');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function start(): Promise<void> {
  await app.whenReady();
  // The UI needs no camera, notifications, clipboard reads or the like.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));

  // The engine runs in a plain Node child process (AWB_NODE, set by `npm start`, else `node` on
  // the PATH): its native modules are built for Node, not for Electron's runtime.
  const engine = await RemoteEngine.start({ node: process.env.AWB_NODE || 'node', home: homeArgument() });
  // `electron-vite dev` serves the renderer with hot reload; otherwise the built files are used.
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  if (!devUrl) {
    const rendererDir = builtRendererDir();
    if (!rendererDir) throw new Error('the renderer is not built (out/renderer/index.html is missing); run `npm run build`');
    serveRenderer(rendererDir);
  }
  const appPrefix = `${devUrl ? new URL(devUrl).origin : RENDERER_ORIGIN}/`;
  const url = devUrl ?? `${appPrefix}index.html`;

  const win = createMainWindow({ home: engine.home, preload: PRELOAD, url });
  const disconnect = connectIpc(engine, win, appPrefix);
  Menu.setApplicationMenu(buildAppMenu({ home: engine.home, engineVersion: ENGINE_VERSION, window: () => (win.isDestroyed() ? null : win) }));

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // One window is the whole app, on every platform.
  app.on('window-all-closed', () => app.quit());
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    disconnect();
    // Running jobs are cancelled and recorded before the process ends.
    void engine.close().finally(() => app.exit(0));
  });
}

// A second launch hands over to the running window: one process owns the workbench home.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((e: unknown) => {
    dialog.showErrorBox('Anomaly Workbench could not start', e instanceof Error ? e.message : String(e));
    app.exit(1);
  });
}
