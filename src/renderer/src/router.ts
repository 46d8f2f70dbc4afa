// Screens are addressed by the URL hash (`#/runs/r0abc?…`), which works the same from the browser
// host and from Electron's private origin, survives reloads, and never asks the server for a page.
import { readonly, shallowRef } from 'vue';

export type Route =
  | { name: 'home' }
  | { name: 'runs' }
  | { name: 'run'; id: string }
  | { name: 'compare' }
  | { name: 'studies' }
  | { name: 'study-new'; kind: string | null }
  | { name: 'study'; id: string }
  | { name: 'data' }
  | { name: 'data-import' }
  | { name: 'data-generate' }
  | { name: 'data-set'; id: string }
  | { name: 'selftest' }
  | { name: 'settings' }
  | { name: 'not-found'; path: string };

export interface Location {
  path: string;
  query: Record<string, string>;
}

export type Query = Record<string, string | undefined>;

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'runs' && parts.length === 1) return { name: 'runs' };
  if (parts[0] === 'runs' && parts.length === 2) return { name: 'run', id: parts[1] };
  if (parts[0] === 'compare' && parts.length === 1) return { name: 'compare' };
  if (parts[0] === 'studies' && parts.length === 1) return { name: 'studies' };
  if (parts[0] === 'studies' && parts[1] === 'new' && parts.length <= 3) return { name: 'study-new', kind: parts[2] ?? null };
  if (parts[0] === 'studies' && parts.length === 2) return { name: 'study', id: parts[1] };
  if (parts[0] === 'data' && parts.length === 1) return { name: 'data' };
  if (parts[0] === 'data' && parts.length === 2 && parts[1] === 'import') return { name: 'data-import' };
  if (parts[0] === 'data' && parts.length === 2 && parts[1] === 'generate') return { name: 'data-generate' };
  if (parts[0] === 'data' && parts.length === 2) return { name: 'data-set', id: parts[1] };
  if (parts[0] === 'selftest' && parts.length === 1) return { name: 'selftest' };
  if (parts[0] === 'settings' && parts.length === 1) return { name: 'settings' };
  return { name: 'not-found', path };
}

export function href(path: string, query: Query = {}): string {
  const q = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

export const runPath = (id: string) => `/runs/${encodeURIComponent(id)}`;
export const datasetPath = (id: string) => `/data/${encodeURIComponent(id)}`;
export const studyPath = (id: string) => `/studies/${encodeURIComponent(id)}`;

const current = shallowRef<Location>(parseHash(window.location.hash));
window.addEventListener('hashchange', () => {
  current.value = parseHash(window.location.hash);
});

export const currentLocation = readonly(current);

export function navigate(path: string, query: Query = {}): void {
  window.location.hash = href(path, query);
}

/** Changes the query of the current screen (filters) without adding a history entry per keystroke. */
export function replaceQuery(query: Query): void {
  const target = href(current.value.path, query);
  window.history.replaceState(window.history.state, '', target);
  current.value = parseHash(target);
}
