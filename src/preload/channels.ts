// The IPC channels between the preload bridge and the Electron main process.
export const CALL_CHANNEL = 'awb:call';
export const EVENT_CHANNEL = 'awb:event';
export const PICK_FILE_CHANNEL = 'awb:pick-file';
export const PRINT_PDF_CHANNEL = 'awb:print-pdf';
