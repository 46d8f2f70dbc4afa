import type { AwbBridge } from '@shared/api';

declare global {
  interface Window {
    /** Present only inside the Electron shell (the preload bridge). */
    awb?: AwbBridge;
  }
}
