// Coming back from Facebook's dialog. The contract's one-Page redirect carries no parameter (CONTRACT
// §4: just /settings/tab/integrations), so the browser remembers that it left to connect: on return the
// card can say "connected" for a one-Page connect as it does after the picker, and offer a Page choice
// still in progress (the server keeps it 5 minutes) to an admin who wandered off before choosing.
const KEY = 'parley:meta-connect-started';
/** Facebook's dialog plus the server's pending list: nothing useful remains after this. */
const FRESH_MS = 15 * 60_000;

export function rememberConnectStarted(): void {
  try {
    localStorage.setItem(KEY, String(Date.now()));
  } catch {
    // Storage disabled: the return simply shows no notice.
  }
}

export function connectStartedRecently(): boolean {
  try {
    const at = Number(localStorage.getItem(KEY));
    return Number.isFinite(at) && at > 0 && Date.now() - at < FRESH_MS;
  } catch {
    return false;
  }
}

export function forgetConnectStarted(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // See rememberConnectStarted.
  }
}

/**
 * Facebook appends `#_=_` to the redirect after its dialog; it means nothing and would stay in the
 * address bar (and in bookmarks). Removed without a new history entry.
 */
export function dropFacebookFragment(): void {
  if (window.location.hash !== '#_=_') return;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
