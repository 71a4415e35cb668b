// Two-factor sign-in on the Account page: scan the QR code (or type the key), confirm with a first
// code, then keep the 10 recovery codes, shown only this once. Owners can also require it for everyone.
import { type FormEvent, useState } from 'react';
import type { RecoveryCodesResponse, SessionView, TwoFactorSetupResponse } from '../api/contract.ts';
import { apiGet, apiPatch, apiPost } from '../api/request.ts';
import { useAction } from '../api/use-action.ts';
import { useSession, useSignedInSession } from '../session/session-context.tsx';
import { Alert } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { TextField } from '../ui/text-field.tsx';

/**
 * `held`: shown on its own while the organization requires two-factor sign-in (two-factor-gate.tsx);
 * the session is refreshed only when the recovery codes have been seen, since a refreshed session lets
 * the app out of the gate.
 */
export function TwoFactorCard({ held = false }: { held?: boolean }) {
  const session = useSignedInSession();
  const { signIn } = useSession();
  const [setup, setSetup] = useState<TwoFactorSetupResponse | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [password, setPassword] = useState('');
  const start = useAction(() => apiPost<TwoFactorSetupResponse>('/api/auth/two-factor/setup'));
  const enable = useAction((body: { code: string }) =>
    apiPost<RecoveryCodesResponse>('/api/auth/two-factor/enable', body),
  );
  const disable = useAction((body: { password: string }) =>
    apiPost<void>('/api/auth/two-factor/disable', body),
  );
  const requireAll = useAction((body: { require_two_factor: boolean }) =>
    apiPatch<unknown>('/api/organization', body),
  );
  const refresh = async () => signIn(await apiGet<SessionView>('/api/auth/me'));

  async function onConfirm(event: FormEvent) {
    event.preventDefault();
    if (code.trim() === '') return setCodeError('Enter the 6-digit code from your app.');
    const result = await enable.run({ code: code.trim() });
    if (result.ok) {
      setCodes(result.value.recovery_codes);
      setSetup(null);
      if (!held) await refresh();
    } else if (result.error) setCodeError(result.error.message);
  }

  // Held, the session is refreshed only on Continue: the codes shown mean it is on already.
  const enabled = session.user.two_factor_enabled || codes !== null;
  return (
    // Held, it fills the sign-in card, whose title already says what this is.
    <section className={held ? 'form' : 'card'} aria-labelledby="two-factor-title">
      <h2 id="two-factor-title" className={held ? 'visually-hidden' : undefined}>
        Two-factor sign-in
      </h2>
      {session.organization.require_two_factor && !enabled && !held && (
        <Alert tone="warning">Your organization requires two-factor sign-in. Turn it on now.</Alert>
      )}
      {codes && (
        <Alert tone="success" title="Two-factor sign-in is on. Save these recovery codes now.">
          <p>Each works once if you lose your phone. They are not shown again.</p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          {held && (
            <Button variant="primary" onClick={refresh}>
              I saved them, continue to Parley
            </Button>
          )}
        </Alert>
      )}
      {enabled && !codes && <p>On: signing in asks for a code from your authenticator app.</p>}
      {!enabled && !setup && (
        <>
          <p className="muted">Off. With it on, signing in also asks for a code from an authenticator app.</p>
          <Button
            variant="primary"
            busy={start.busy}
            onClick={async () => {
              const result = await start.run();
              if (result.ok) setSetup(result.value);
            }}
          >
            Set up two-factor sign-in
          </Button>
        </>
      )}
      {setup && (
        <form className="form form--inline" onSubmit={onConfirm} noValidate>
          <p>Scan this code with your authenticator app:</p>
          <img className="qr-code" src={setup.qr_code} alt="QR code for your authenticator app" />
          <p>
            Can’t scan? Enter this key:{' '}
            <code className="secret-key" data-testid="totp-secret">
              {setup.secret.replace(/(.{4})(?=.)/g, '$1 ')}
            </code>
          </p>
          <TextField
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => {
              setCode(e.target.value);
              setCodeError(undefined);
            }}
            error={codeError}
          />
          <Button type="submit" variant="primary" busy={enable.busy}>
            Turn on
          </Button>
        </form>
      )}
      {enabled && !held && !session.organization.require_two_factor && (
        <form
          className="form form--inline"
          onSubmit={async (event) => {
            event.preventDefault();
            if ((await disable.run({ password })).ok) {
              setCodes(null);
              setPassword('');
              await refresh();
            }
          }}
          noValidate
        >
          <TextField
            label="Password to turn it off"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={disable.error?.message}
          />
          <Button type="submit" variant="danger" busy={disable.busy}>
            Turn off two-factor
          </Button>
        </form>
      )}
      {session.role === 'owner' && !held && (
        <div className="form form--inline">
          <label>
            <input
              type="checkbox"
              checked={session.organization.require_two_factor}
              disabled={requireAll.busy || (!enabled && !session.organization.require_two_factor)}
              onChange={async (e) => {
                if ((await requireAll.run({ require_two_factor: e.target.checked })).ok) await refresh();
              }}
            />{' '}
            Require two-factor sign-in for everyone in {session.organization.name}
          </label>
          {requireAll.error && <Alert>{requireAll.error.message}</Alert>}
        </div>
      )}
      {start.error && <Alert>{start.error.message}</Alert>}
    </section>
  );
}
