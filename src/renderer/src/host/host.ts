// Which shell the UI runs in decides how it reaches the engine (Netron-style host abstraction):
// the Electron preload bridge when present, otherwise the browser host's HTTP API.
import { electronHost } from './electron-host';
import { httpHost } from './http-host';
import { takeSessionToken } from './session-token';
import type { UiHost } from './ui-host';

export type HostChoice = { host: UiHost } | { problem: string };

export function pickHost(): HostChoice {
  if (window.awb) return { host: electronHost(window.awb) };
  const token = takeSessionToken();
  if (!token) {
    return { problem: 'This page was opened without its session token. Open the full URL that `awb serve` printed (it ends in ?token=…).' };
  }
  return { host: httpHost(token) };
}
