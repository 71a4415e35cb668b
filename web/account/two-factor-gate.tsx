// What a member sees while their organization requires two-factor sign-in and they have not turned it
// on: only its setup and Log out. The server refuses every other route (403 two_factor_required), so
// this stands in for the whole app until the recovery codes have been seen.
import { useLocation } from 'wouter';
import { apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { AuthLayout } from '../auth/auth-layout.tsx';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { Button } from '../ui/button.tsx';
import { TwoFactorCard } from './two-factor-card.tsx';

export function TwoFactorGate() {
  const { organization, user } = useSignedInSession();
  const { signOut } = useSession();
  const [, navigate] = useLocation();
  const logout = useAction(() => apiPost<void>('/api/auth/logout'));
  return (
    <AuthLayout title="Turn on two-factor sign-in">
      <p>
        {organization.name} requires two-factor sign-in. Set it up for {user.email} to continue to Parley.
      </p>
      <TwoFactorCard held />
      <p className="auth__switch">
        <Button
          variant="link"
          busy={logout.busy}
          onClick={async () => {
            if (!(await logout.run()).ok) return;
            navigate('/login', { replace: true });
            signOut();
          }}
        >
          Log out
        </Button>
      </p>
    </AuthLayout>
  );
}
