// The route table. Signed-out pages (/login, /signup) stand alone; everything else sits behind the
// sign-in gate, inside the app frame. Inbox and Settings are separate chunks so the first page a
// visitor loads (usually /login or /inbox) stays small.
import { lazy, Suspense } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { TwoFactorGate } from './account/two-factor-gate.tsx';
import { ForgotPasswordPage } from './auth/forgot-password-page.tsx';
import { InvitePage } from './auth/invite-page.tsx';
import { LoginPage } from './auth/login-page.tsx';
import { ResetPasswordPage } from './auth/reset-password-page.tsx';
import { SignupPage } from './auth/signup-page.tsx';
import { AppFrame } from './frame/app-frame.tsx';
import { NotFoundPage } from './frame/not-found-page.tsx';
import { HOME_PATH, loginPathFor } from './session/return-path.ts';
import { needsTwoFactorSetup, SessionProvider, useSession } from './session/session-context.tsx';
import { Skeleton } from './ui/skeleton.tsx';

const InboxPage = lazy(() => import('./inbox/inbox-page.tsx'));
const SettingsPage = lazy(() => import('./settings/settings-page.tsx'));
const AccountPage = lazy(() => import('./account/account-page.tsx'));

export function App() {
  return (
    <SessionProvider>
      <Switch>
        <Route path="/login" component={LoginPage} />
        <Route path="/signup" component={SignupPage} />
        <Route path="/forgot-password" component={ForgotPasswordPage} />
        <Route path="/reset-password/:token">{({ token }) => <ResetPasswordPage token={token} />}</Route>
        <Route path="/invite/:token">{({ token }) => <InvitePage token={token} />}</Route>
        <Route component={SignedInRoutes} />
      </Switch>
    </SessionProvider>
  );
}

function SignedInRoutes() {
  const { session } = useSession();
  const [path] = useLocation();
  const search = useSearch();
  // Keep where the person was going (e.g. the OAuth callback's ?meta_select_page=true) across the login.
  if (!session) return <Redirect to={loginPathFor(search ? `${path}?${search}` : path)} replace />;
  // The organization requires two-factor sign-in: nothing else until it is on (the URL is kept).
  if (needsTwoFactorSetup(session)) return <TwoFactorGate />;

  return (
    <AppFrame>
      <Suspense fallback={<Skeleton label="Loading page…" />}>
        <Switch>
          <Route path="/">
            <Redirect to={HOME_PATH} replace />
          </Route>
          <Route path="/inbox/:conversationId?">
            {({ conversationId }) => <InboxPage conversationId={conversationId} />}
          </Route>
          <Route path="/settings">
            <Redirect to="/settings/tab/members" replace />
          </Route>
          <Route path="/account" component={AccountPage} />
          <Route path="/settings/tab/:tab">{({ tab }) => <SettingsPage tab={tab} />}</Route>
          <Route component={NotFoundPage} />
        </Switch>
      </Suspense>
    </AppFrame>
  );
}
