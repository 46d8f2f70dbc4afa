// The browser host's session token. The first page load carries it as `?token=`; the page keeps
// it in sessionStorage (this tab, this origin) and takes it out of the address bar, so it is not
// left in history or in a copied link, and a reload still has it.
const KEY = 'awb.session-token';
const PARAM = 'token';

export function takeSessionToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(PARAM);
  if (fromUrl) {
    window.sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete(PARAM);
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return window.sessionStorage.getItem(KEY);
}
