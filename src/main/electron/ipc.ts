// The IPC face of the engine: one request channel (validated by the same path as the browser
// host) and job events forwarded to the window. Only the app's own top-level page may call.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { ApiReply } from '@shared/api';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../preload/channels';
import { replyTo, type HostedEngine } from '../serve/api-reply';

/**
 * `appPrefix` is the app page's origin with a trailing slash (`awb://app/`). A prefix, not
 * `URL.origin`: for a custom scheme the origin is the opaque "null" and would match any scheme.
 */
export function connectIpc(engine: HostedEngine, win: BrowserWindow, appPrefix: string): () => void {
  ipcMain.handle(CALL_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<ApiReply> | ApiReply => {
    const frame = event.senderFrame;
    if (event.sender.id !== win.webContents.id || !frame || frame.parent !== null || !frame.url.startsWith(appPrefix)) {
      return { ok: false, error: { message: 'awb:call refused: it did not come from the app page', code: 'bad-request' } };
    }
    return replyTo(engine, method, params);
  });
  const stopEvents = engine.onEvent((e) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, e);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    stopEvents();
  };
}
