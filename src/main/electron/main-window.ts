// The one application window: sandboxed renderer with only the preload bridge, no navigation
// away from the app, no pop-ups, and its bounds remembered in the workbench home.
import { BrowserWindow, screen } from 'electron';
import { DEFAULT_WINDOW_STATE, isVisibleOn, loadWindowState, MIN_SIZE, saveWindowState, type WindowState } from './window-state';

export interface MainWindowOptions {
  home: string;
  preload: string;
  /** The page to load: the private renderer origin, or the dev server under `electron-vite dev`. */
  url: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const saved = loadWindowState(opts.home);
  const usable = saved && isVisibleOn(saved.bounds, screen.getAllDisplays().map((d) => d.workArea));
  const state: WindowState = usable ? saved : DEFAULT_WINDOW_STATE;

  const win = new BrowserWindow({
    ...(usable ? state.bounds : { width: state.bounds.width, height: state.bounds.height, center: true }),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Anomaly Workbench',
    show: false,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  if (usable && state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // The UI routes inside one page (the URL hash), so any real navigation or pop-up is foreign.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  win.on('close', () => {
    saveWindowState(opts.home, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
  });

  void win.loadURL(opts.url);
  return win;
}
