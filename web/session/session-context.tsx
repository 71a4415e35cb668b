// Who is signed in. Loaded once from GET /api/auth/me when the app starts; a 401 there (or from any
// later call, see SESSION_EXPIRED_EVENT) means signed out. Login and signup answer with the same shape
// as /me, so they hand it straight to `signIn` instead of asking again.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import type { SessionView } from '../api/contract.ts';
import { apiGet, SESSION_CHECK_EVENT, SESSION_EXPIRED_EVENT } from '../api/request.ts';
import { useApi } from '../api/use-api.ts';
import { FullPageMessage } from '../frame/full-page-message.tsx';

type SessionContextValue = {
  /** null when signed out. */
  session: SessionView | null;
  signIn: (session: SessionView) => void;
  /** Forget the session locally; the caller has already told the server (POST /api/auth/logout). */
  signOut: () => void;
};

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const me = useApi<SessionView | null>('/api/auth/me');
  const { replace } = me;

  const signIn = useCallback((session: SessionView) => replace(session), [replace]);
  const signOut = useCallback(() => replace(null), [replace]);

  useEffect(() => {
    // A 401 here signs out through SESSION_EXPIRED_EVENT; a 200 may say two-factor is now required.
    const check = () => {
      apiGet<SessionView>('/api/auth/me').then(replace, () => undefined);
    };
    window.addEventListener(SESSION_EXPIRED_EVENT, signOut);
    window.addEventListener(SESSION_CHECK_EVENT, check);
    return () => {
      window.removeEventListener(SESSION_EXPIRED_EVENT, signOut);
      window.removeEventListener(SESSION_CHECK_EVENT, check);
    };
  }, [signOut, replace]);

  const expectedSignedOut = me.status === 'error' && me.error.status === 401;
  const session = me.status === 'ready' ? me.data : null;
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);

  if (me.status === 'loading') return <FullPageMessage busy>Loading Parley…</FullPageMessage>;
  if (me.status === 'error' && !expectedSignedOut) {
    return (
      <FullPageMessage action={{ label: 'Try again', onClick: me.reload }}>
        {me.error.message}
      </FullPageMessage>
    );
  }
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}

/** The organization requires two-factor sign-in and this member has not turned it on: app.tsx shows
 * only its setup (the server refuses everything else with 403 two_factor_required). */
export const needsTwoFactorSetup = (session: SessionView) =>
  session.organization.require_two_factor && !session.user.two_factor_enabled;

/** For screens that only render behind the sign-in gate (see app.tsx). */
export function useSignedInSession(): SessionView {
  const { session } = useSession();
  if (!session) throw new Error('useSignedInSession must be used behind the sign-in gate');
  return session;
}
