// The IPC face of the engine: one request channel (validated by the same path as the browser
// host), job events forwarded to the window, the native open-file dialog and the report printer. Only the app's own top-level page may call.
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { PickFileOptions, type ApiReply } from '@shared/api';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_FILE_CHANNEL, PRINT_PDF_CHANNEL } from '../../preload/channels';
import { printReportInShell } from './print-pdf';
import { replyTo, type HostedEngine } from '../serve/api-reply';

/**
 * `appPrefix` is the app page's origin with a trailing slash (`awb://app/`). A prefix, not
 * `URL.origin`: for a custom scheme the origin is the opaque "null" and would match any scheme.
 */
export function connectIpc(engine: HostedEngine, win: BrowserWindow, appPrefix: string): () => void {
  const fromAppPage = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame;
    return event.sender.id === win.webContents.id && frame !== null && frame.parent === null && frame.url.startsWith(appPrefix);
  };
  ipcMain.handle(CALL_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<ApiReply> | ApiReply => {
    if (!fromAppPage(event)) return { ok: false, error: { message: 'awb:call refused: it did not come from the app page', code: 'bad-request' } };
    return replyTo(engine, method, params);
  });
  ipcMain.handle(PICK_FILE_CHANNEL, async (event: IpcMainInvokeEvent, options: unknown): Promise<string | null> => {
    if (!fromAppPage(event)) throw new Error('awb:pick-file refused: it did not come from the app page');
    const o = PickFileOptions.parse(options);
    const r = await dialog.showOpenDialog(win, { title: o.title, filters: o.filters, properties: ['openFile'] });
    return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
  });
  ipcMain.handle(PRINT_PDF_CHANNEL, (event: IpcMainInvokeEvent, htmlFile: unknown, pdfFile: unknown) => {
    if (!fromAppPage(event)) throw new Error('awb:print-pdf refused: it did not come from the app page');
    return printReportInShell(htmlFile, pdfFile);
  });
  const stopEvents = engine.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeHandler(PICK_FILE_CHANNEL);
    ipcMain.removeHandler(PRINT_PDF_CHANNEL);
    stopEvents();
  };
}
