// Under the reply box: whether a reply can go out now and, if not, why and what to do (connect a Page,
// reconnect after Meta revoked access, the 24-hour window closed or never opened), or how long the
// window has left (marked when under an hour, and when only the Human Agent window is left).
import { Link } from 'wouter';
import { formatDateTime, formatDuration } from '../ui/date-format.ts';
import type { ReplyAvailability } from './reply-availability.ts';

const ONE_HOUR = 3_600_000;

export function ReplyStatus({ id, availability }: { id: string; availability: ReplyAvailability }) {
  const integrations = <Link href="/settings/tab/integrations">Settings → Integrations</Link>;
  switch (availability.state) {
    case 'not_connected':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          No Facebook Page is connected. Connect a Facebook Page in {integrations} to reply.
        </p>
      );
    case 'reauth_required':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          Meta rejected Parley's access — reconnect in {integrations}.
        </p>
      );
    case 'window_closed':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          The 24-hour reply window closed at {formatDateTime(availability.closedAt)}; Meta only allows replies
          within 24 hours of the customer's last message.
        </p>
      );
    case 'no_window':
      return (
        <p id={id} className="composer__status composer__status--blocked">
          This customer hasn't written yet; Meta only allows replies within 24 hours of the customer's last
          message.
        </p>
      );
    case 'human_agent':
      return (
        <p id={id} className="composer__status composer__status--soon">
          Human Agent window: {formatDuration(availability.msLeft)} left (the 24-hour window has closed;
          replies go out tagged HUMAN_AGENT, for a person answering, up to 7 days after the customer's last
          message)
        </p>
      );
    case 'open': {
      const soon = availability.msLeft < ONE_HOUR;
      return (
        <p id={id} className={`composer__status${soon ? ' composer__status--soon' : ''}`}>
          Reply window: {formatDuration(availability.msLeft)} left
        </p>
      );
    }
    case 'checking':
    case 'unknown':
      return <p id={id} className="composer__status" />;
  }
}
