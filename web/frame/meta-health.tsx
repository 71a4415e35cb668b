// Whether the organization's Meta connection is healthy, for the banner every owner and admin sees under
// the header while it isn't (`needs_attention` or `reauth_required`). Agents get no banner: the composer
// tells them why they can't reply, and they can't fix it anyway.
//
// For owners and admins the frame reads GET /api/integrations/meta on arrival, whenever the window
// regains focus, when a `connection.updated` live event arrives and after the live stream reconnects.
// Screens that read or change the connection themselves (the Meta card) `report` what they got, so the
// banner follows "Check now" or a reconnect at once without asking again.
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link, useLocation } from 'wouter';
import type { ConnectionStatusResponse, ConnectionView } from '../api/contract.ts';
import { apiGet } from '../api/request.ts';
import { canManageOrganization } from '../session/roles.ts';
import { useSignedInSession } from '../session/session-context.tsx';
import { statusExplanations } from '../settings/meta/meta-labels.ts';
import { useLiveEvents } from './live-events.tsx';

export const INTEGRATIONS_PATH = '/settings/tab/integrations';

type MetaHealthValue = {
  /** The newest status known here; null until the first answer (and for agents, who don't poll). */
  status: ConnectionStatusResponse | null;
  /** A screen that read or changed the connection shares the answer. */
  report: (status: ConnectionStatusResponse) => void;
};

const MetaHealthContext = createContext<MetaHealthValue | null>(null);

export function MetaHealthProvider({ children }: { children: ReactNode }) {
  const { role } = useSignedInSession();
  const watching = canManageOrganization(role);
  const [status, setStatus] = useState<ConnectionStatusResponse | null>(null);
  // Bumped by every read and every report: only the newest may land, so a slow GET started before
  // "Check now" can't bring back the old status.
  const latest = useRef(0);
  const unmounted = useRef(new AbortController());

  const refresh = useCallback(() => {
    const ticket = ++latest.current;
    const { signal } = unmounted.current;
    apiGet<ConnectionStatusResponse>('/api/integrations/meta', signal).then(
      (data) => {
        if (!signal.aborted && ticket === latest.current) setStatus(data);
      },
      // The banner is advisory: a failed read neither raises nor clears it; the next focus tries again.
      () => {},
    );
  }, []);

  const report = useCallback((data: ConnectionStatusResponse) => {
    latest.current++;
    setStatus(data);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    unmounted.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!watching) return;
    refresh();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [watching, refresh]);

  useLiveEvents({
    onEvent: (event) => {
      if (watching && event.type === 'connection.updated') refresh();
    },
    onReconnect: () => {
      if (watching) refresh();
    },
  });

  const value = useMemo(() => ({ status, report }), [status, report]);
  return <MetaHealthContext value={value}>{children}</MetaHealthContext>;
}

export function useMetaHealth(): MetaHealthValue {
  const value = useContext(MetaHealthContext);
  if (!value) throw new Error('useMetaHealth must be used inside <MetaHealthProvider>');
  return value;
}

/**
 * The slim alert under the header. A `region` named "Meta connection problem" holding the message (an
 * `alert`, announced when it appears or changes) and a "Fix it" link to Settings → Integrations (left
 * out there, where the Meta card itself explains and offers the fix).
 */
export function MetaHealthBanner() {
  const { role } = useSignedInSession();
  const { status } = useMetaHealth();
  const [location] = useLocation();
  if (!canManageOrganization(role) || !status?.connected) return null;
  const { connection } = status;
  if (connection.status === 'active') return null;

  return (
    <section
      className={`health-banner health-banner--${connection.status}`}
      aria-label="Meta connection problem"
    >
      <p role="alert" className="health-banner__message">
        <strong>{bannerHeadline(connection)}</strong>{' '}
        {connection.status_reason ?? statusExplanations[connection.status]}
      </p>
      {location !== INTEGRATIONS_PATH && (
        <Link href={INTEGRATIONS_PATH} className="health-banner__fix">
          Fix it
        </Link>
      )}
    </section>
  );
}

function bannerHeadline(connection: ConnectionView): string {
  return connection.status === 'reauth_required'
    ? `Meta no longer accepts Parley's access to ${connection.facebook_page_name}: messages aren't arriving and replies can't be sent.`
    : `The connection to ${connection.facebook_page_name} needs attention.`;
}
