// GET /{v}/{page-id}/conversations?platform=messenger|instagram with the Page token: the Conversations
// API (paged, newest first). Messenger needs `pages_read_engagement` (with pages_messaging), Instagram
// `instagram_manage_messages`.
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { conversationsOf, renderConversation } from '../conversation-history.ts';
import { requirePage } from '../graph-auth.ts';
import { GraphError, invalidParameter, unsupportedRequest } from '../graph-errors.ts';
import { stringParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import { paginate, pagingBlock } from '../paging.ts';
import { versionPrefix } from '../versioning.ts';

export function registerConversationRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = graphRoute(ctx, 'page.conversations', (call) => {
    const id = (call.req.params as { id: string }).id;
    const { token, page } = requirePage(call.auth());
    if (id !== 'me' && id !== page.id) throw unsupportedRequest('GET', id);
    const platform = stringParam(call.params, 'platform') ?? 'messenger';
    if (platform !== 'messenger' && platform !== 'instagram')
      throw invalidParameter('(#100) Param platform must be one of {MESSENGER, INSTAGRAM}');
    const needed = platform === 'messenger' ? 'pages_read_engagement' : 'instagram_manage_messages';
    if (!token.grant.scopes.includes(needed))
      throw new GraphError({
        message: `(#200) Requires ${needed} permission to manage the object`,
        code: 200,
      });
    if (platform === 'instagram' && !page.instagram) return { data: [] };
    const all = conversationsOf(ctx, page, platform);
    const paged = paginate(all, (c) => c.id, call.params);
    const data = paged.items.map((c) => renderConversation(page, platform, c));
    const paging = pagingBlock(paged, call.baseUrl, `${versionPrefix(call.req)}/${page.id}/conversations`, {
      ...call.params,
    });
    // Meta keeps `platform` in the next link too.
    if (paging?.next) paging.next = `${paging.next}&platform=${platform}`;
    return paging ? { data, paging } : { data };
  });
  app.get('/:id/conversations', handler);
}
