// A team per organization for the inbox at size (issue 12): the owner the bench signed up, plus agents
// added over HTTP as an admin adds them (POST /api/organization/members), so assignment has a few
// members to spread over and a second member can watch the live stream while the owner changes things.
import { Browser, uniqueEmail } from '../test/support/http-client.ts';
import type { SeededOrganization } from './seed-organizations.ts';

export interface Team {
  /** The owner first, then the agents. */
  members: string[];
  /** The first agent, signed in (its own session). */
  agent: { id: string; browser: Browser };
}

const PASSWORD = 'correct horse battery';

export async function addTeam(appUrl: string, org: SeededOrganization, agents: number): Promise<Team> {
  const members = [org.userId];
  let first: Team['agent'] | null = null;
  for (let i = 0; i < agents; i++) {
    const email = uniqueEmail('agent');
    const res = await org.browser.post<{ user_id: string }>('/api/organization/members', {
      email,
      password: PASSWORD,
      role: 'agent',
    });
    if (res.status !== 201) throw new Error(`adding a member failed: ${res.status} ${res.text}`);
    members.push(res.body.user_id);
    if (first === null) {
      const browser = new Browser(appUrl);
      const login = await browser.post('/api/auth/login', { email, password: PASSWORD });
      if (login.status !== 200) throw new Error(`agent login failed: ${login.status} ${login.text}`);
      first = { id: res.body.user_id, browser };
    }
  }
  if (!first) throw new Error('a team needs at least one agent');
  return { members, agent: first };
}
