// The renderer's only door to the app: `window.awb` with a call, an event subscription, the open-file dialog
// and the report printer.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiReply, AwbBridge, JobEvent } from '@shared/api';
import { CALL_CHANNEL, EVENT_CHANNEL, PICK_FILE_CHANNEL, PRINT_PDF_CHANNEL } from './channels';

const bridge: AwbBridge = {
  call: (method, params) => ipcRenderer.invoke(CALL_CHANNEL, method, params) as Promise<ApiReply>,
  onEvent(listener) {
    // The IPC event object (with its sender) never reaches the page.
    const relay = (_e: IpcRendererEvent, e: JobEvent) => listener(e);
    ipcRenderer.on(EVENT_CHANNEL, relay);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  },
  pickFile: (options) => ipcRenderer.invoke(PICK_FILE_CHANNEL, options) as Promise<string | null>,
  printPdf: (htmlFile, pdfFile) => ipcRenderer.invoke(PRINT_PDF_CHANNEL, htmlFile, pdfFile) as Promise<{ pages: number }>,
};

contextBridge.exposeInMainWorld('awb', bridge);
