// Ending live streams when their session ends (logout now; password change, password reset and member
// removal later): one call ends every /api/events stream of that session, or of that user, on every
// instance, through the live bus. Call it after the session rows are gone, so a stream that reconnects
// at once is refused.
import type { LiveBus } from './live-bus.ts';

export class SessionEnds {
  constructor(private readonly bus: LiveBus) {}

  /** Ends the streams of one session (logout). */
  session(orgId: string, sessionIdHash: string): Promise<void> {
    return this.bus.endStreams(orgId, { sessionIdHash });
  }

  /** Ends every stream of one user in this organization (password change, removal from the team). */
  user(orgId: string, userId: string): Promise<void> {
    return this.bus.endStreams(orgId, { userId });
  }
}
