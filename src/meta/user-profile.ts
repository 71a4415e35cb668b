// The person on the other side of a conversation, read with the Page token: Messenger's user profile
// API (GET /{psid}?fields=name,first_name,last_name) and Instagram's (GET /{igsid}?fields=name,username).
// Both may legitimately omit fields (privacy settings), so every field is optional.
import { z } from 'zod';
import type { GraphClient } from './graph-client.ts';

const messengerProfile = z.object({
  id: z.string(),
  name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  profile_pic: z.string().optional(),
});
const instagramProfile = z.object({
  id: z.string(),
  name: z.string().optional(),
  username: z.string().optional(),
  profile_pic: z.string().optional(),
});

export interface ParticipantProfile {
  name: string | null;
  username: string | null;
  /** Meta's (expiring) picture URL; Parley keeps a copy (issue 13). */
  picture: string | null;
}

export async function messengerUserProfile(
  client: GraphClient,
  psid: string,
  pageToken: string,
  /** The Page whose conversation this is: the lookup spends that Page's usage budget. */
  pageId?: string,
): Promise<ParticipantProfile> {
  const p = await client.request({
    method: 'GET',
    path: psid,
    params: { fields: 'name,first_name,last_name,profile_pic' },
    token: pageToken,
    pageId,
    endpoint: 'profile',
    schema: messengerProfile,
    retry: 'connect-only',
  });
  const joined = [p.first_name, p.last_name].filter(Boolean).join(' ');
  return { name: p.name || joined || null, username: null, picture: p.profile_pic ?? null };
}

export async function instagramUserProfile(
  client: GraphClient,
  igsid: string,
  pageToken: string,
  /** The Page whose conversation this is: the lookup spends that Page's usage budget. */
  pageId?: string,
): Promise<ParticipantProfile> {
  const p = await client.request({
    method: 'GET',
    path: igsid,
    params: { fields: 'name,username,profile_pic' },
    token: pageToken,
    pageId,
    endpoint: 'profile',
    schema: instagramProfile,
    retry: 'connect-only',
  });
  return {
    name: p.name || (p.username ? `@${p.username}` : null),
    username: p.username ?? null,
    picture: p.profile_pic ?? null,
  };
}
