// The application menu. Commands that belong to the UI's screens live in the renderer; the menu
// holds what only the shell can do (open a folder in the OS file manager, quit, zoom, about).
import { app, dialog, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuContext {
  home: string;
  engineVersion: string;
  window: () => BrowserWindow | null;
}

export function buildAppMenu(ctx: AppMenuContext): Menu {
  const mac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'Open Workbench Home…',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: async () => {
            const failure = await shell.openPath(ctx.home);
            if (failure) dialog.showErrorBox('Cannot open the workbench home', `${ctx.home}: ${failure}`);
          },
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Help',
      submenu: [
        {
          label: 'About Anomaly Workbench',
          click: () => {
            const win = ctx.window();
            const options = {
              type: 'info' as const,
              title: 'About Anomaly Workbench',
              message: `Anomaly Workbench ${app.getVersion()}`,
              detail: [
                'Unsupervised anomaly detection for particle physics.',
                '',
                `Engine ${ctx.engineVersion}`,
                `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}`,
                `Workbench home: ${ctx.home}`,
              ].join('\n'),
            };
            void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
