// The Conversations API: `GET /{page-id}/conversations?platform=messenger|instagram` with the Page token,
// newest first, paged by `after` cursor. Meta gives message details only for the most recent messages
// of each conversation (20), so a history import brings those and says so. Messenger needs
// `pages_read_engagement`; Instagram `instagram_manage_messages`.
import { z } from 'zod';
import type { GraphClient } from './graph-client.ts';

const party = z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() });
const graphAttachment = z.object({
  mime_type: z.string().optional(),
  name: z.string().optional(),
  file_url: z.string().optional(),
  image_data: z.object({ url: z.string() }).partial().optional(),
  video_data: z.object({ url: z.string() }).partial().optional(),
});
const graphMessage = z.object({
  id: z.string().min(1),
  created_time: z.string(),
  from: party.optional(),
  message: z.string().optional(),
  attachments: z.object({ data: z.array(graphAttachment) }).optional(),
});
const conversation = z.object({
  id: z.string(),
  updated_time: z.string(),
  participants: z.object({ data: z.array(party) }).optional(),
  messages: z.object({ data: z.array(graphMessage) }).optional(),
});
const conversationsPage = z.object({
  data: z.array(conversation),
  paging: z
    .object({ cursors: z.object({ after: z.string().optional() }).optional(), next: z.string().optional() })
    .optional(),
});

export type GraphConversation = z.infer<typeof conversation>;
export type GraphConversationMessage = z.infer<typeof graphMessage>;

export const HISTORY_FIELDS =
  'id,updated_time,participants,messages.limit(20){id,created_time,from,to,message,attachments{mime_type,name,file_url,image_data,video_data}}';

export async function listConversations(
  client: GraphClient,
  req: {
    pageId: string;
    pageToken: string;
    platform: 'messenger' | 'instagram';
    after: string | null;
    limit?: number;
  },
): Promise<{ conversations: GraphConversation[]; after: string | null }> {
  const page = await client.request({
    method: 'GET',
    path: `${req.pageId}/conversations`,
    params: {
      platform: req.platform,
      fields: HISTORY_FIELDS,
      limit: String(req.limit ?? 25),
      ...(req.after ? { after: req.after } : {}),
    },
    token: req.pageToken,
    // Per-Page usage headers throttle this Page's calls only (GraphClient waits when Meta says so).
    pageId: req.pageId,
    endpoint: 'page.conversations',
    schema: conversationsPage,
    retry: 'transient',
  });
  const more = page.paging?.next !== undefined;
  return { conversations: page.data, after: more ? (page.paging?.cursors?.after ?? null) : null };
}
