import type { ReactNode } from 'react';
import { useLocation } from 'wouter';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { forgetDrafts } from '../inbox/drafts.ts';
import { roleLabels } from '../session/roles.ts';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { Button } from '../ui/button.tsx';
import { LiveEventsProvider } from './live-events.tsx';
import { MetaHealthBanner, MetaHealthProvider } from './meta-health.tsx';
import { NavLink } from './nav-link.tsx';
import { UnreadProvider } from './unread.tsx';

/**
 * Everything a signed-in person sees around a page: who they are, where they can go, Log out, and (for
 * owners and admins) a banner while the Meta connection is unhealthy. It also holds what every page
 * shares: the one live event stream, the Meta connection's health, and the unread numbers (tab title,
 * mentions, desktop notifications).
 */
export function AppFrame({ children }: { children: ReactNode }) {
  return (
    <LiveEventsProvider>
      <MetaHealthProvider>
        <UnreadProvider>
          <Frame>{children}</Frame>
        </UnreadProvider>
      </MetaHealthProvider>
    </LiveEventsProvider>
  );
}

function Frame({ children }: { children: ReactNode }) {
  const { user, organization, role } = useSignedInSession();
  const { signOut } = useSession();
  const [, navigate] = useLocation();
  const logout = useAction(() => apiPost<void>('/api/auth/logout'));

  async function onLogout() {
    const result = await logout.run();
    if (!result.ok) return;
    // Both updates land in one render, so the sign-in gate never sees the old page without a session
    // (which would add `?next=` to an intentional logout).
    navigate('/login', { replace: true });
    forgetDrafts();
    signOut();
  }

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="frame__header">
        <div className="frame__brand">
          <span className="brand" aria-hidden="true">
            Parley
          </span>
          <span className="frame__org" title="Organization">
            {organization.name}
          </span>
        </div>
        <nav aria-label="Main" className="frame__nav">
          <NavLink href="/inbox" className="frame__nav-link">
            Inbox
          </NavLink>
          <NavLink href="/settings/tab/members" section="/settings" className="frame__nav-link">
            Settings
          </NavLink>
          <NavLink href="/account" className="frame__nav-link">
            Account
          </NavLink>
        </nav>
        <div className="frame__account">
          <span className="frame__email">{user.name ?? user.email}</span>
          <span className="badge badge--neutral">{roleLabels[role]}</span>
          <Button variant="link" onClick={onLogout} busy={logout.busy}>
            Log out
          </Button>
          {logout.error && (
            <span role="alert" className="frame__logout-error">
              {logout.error.message}
            </span>
          )}
        </div>
      </header>
      <MetaHealthBanner />
      <main id="main" className="frame__main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
