// Settings → Integrations → Activity (owners and admins): what happened to the Meta connection, newest
// first, from GET /api/integrations/meta/activity. Each entry is a sentence for its kind, who did it (a
// member's email, "Meta" or "Parley"), when (relative, the exact time in its title) and the server's
// detail (the Page, the Instagram account, or why something failed).
import { useEffect, useRef } from 'react';
import type { ActivityEntryView, ActivityKind, ActivityResponse } from '../../api/contract.ts';
import { useApi } from '../../api/use-api.ts';
import { Alert } from '../../ui/alert.tsx';
import { Button } from '../../ui/button.tsx';
import { formatDateTime, formatTimeAgo } from '../../ui/date-format.ts';
import { Skeleton } from '../../ui/skeleton.tsx';
import { useNow } from '../../ui/use-now.ts';

type Tone = 'good' | 'problem' | 'neutral';

// Keyed by ActivityKind, so a kind added to the contract fails the typecheck here until it has words.
const activityKinds: Record<ActivityKind, { sentence: string; tone: Tone }> = {
  connected: { sentence: 'Connected the Facebook Page', tone: 'good' },
  reconnected: { sentence: 'Reconnected with Facebook', tone: 'good' },
  page_chosen: { sentence: 'Chose the Facebook Page to connect', tone: 'neutral' },
  subscribed: { sentence: 'Subscribed to the Page’s messages', tone: 'good' },
  subscription_failed: { sentence: 'Couldn’t subscribe to the Page’s messages', tone: 'problem' },
  token_rejected: { sentence: 'Meta rejected Parley’s access to the Page', tone: 'problem' },
  permission_missing: { sentence: 'A permission Parley needs is no longer granted', tone: 'problem' },
  instagram_refreshed: { sentence: 'Refreshed the Instagram link', tone: 'neutral' },
  health_restored: { sentence: 'The connection is healthy again', tone: 'good' },
  disconnected: { sentence: 'Disconnected the Facebook Page', tone: 'neutral' },
  deauthorized: { sentence: 'Parley was removed from the connecting Facebook account', tone: 'problem' },
  deletion_request: {
    sentence: 'Meta asked Parley to delete the connecting Facebook user’s data',
    tone: 'problem',
  },
};

/** A kind this build doesn't know yet (a newer server) still gets a readable line. */
export function activitySentence(kind: string): { sentence: string; tone: Tone } {
  return Object.hasOwn(activityKinds, kind)
    ? activityKinds[kind as ActivityKind]
    : { sentence: 'Something changed on the connection', tone: 'neutral' };
}

/** `version` changes whenever the card did something, so the list is read again. */
export function MetaActivity({ version }: { version: number }) {
  const activity = useApi<ActivityResponse>('/api/integrations/meta/activity');
  const { reload } = activity;
  const shown = useRef(version);
  useEffect(() => {
    if (version === shown.current) return;
    shown.current = version;
    reload();
  }, [version, reload]);

  return (
    <section className="card" aria-labelledby="meta-activity-title">
      <h2 id="meta-activity-title">Activity</h2>
      <p className="muted">Changes to the Meta connection, newest first.</p>
      {activity.status === 'loading' && <Skeleton label="Loading the activity…" />}
      {activity.status === 'error' && (
        <Alert title="The activity could not be loaded.">
          <p>{activity.error.message}</p>
          <Button onClick={reload}>Try again</Button>
        </Alert>
      )}
      {activity.status === 'ready' &&
        (activity.data.events.length === 0 ? (
          <p className="muted">Nothing has happened yet.</p>
        ) : (
          <ActivityList events={activity.data.events} />
        ))}
    </section>
  );
}

function ActivityList({ events }: { events: ActivityEntryView[] }) {
  const now = useNow();
  return (
    <ol className="activity" aria-label="Meta connection activity">
      {events.map((entry) => {
        const { sentence, tone } = activitySentence(entry.kind);
        return (
          <li key={entry.id} className={`activity__entry activity__entry--${tone}`}>
            <p className="activity__sentence">{sentence}</p>
            <p className="activity__meta">
              <span className="activity__actor">{entry.actor}</span> ·{' '}
              <time dateTime={entry.at} title={formatDateTime(entry.at)}>
                {formatTimeAgo(entry.at, now)}
              </time>
            </p>
            {entry.detail && <p className="activity__detail">{entry.detail}</p>}
          </li>
        );
      })}
    </ol>
  );
}
