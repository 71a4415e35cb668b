// GET /{v}/me/accounts (and /{v}/{user-id}/accounts, the form Meta uses in paging.next): the Pages the
// user's grant reaches, with field expansion and cursor paging (reference §4). Without pages_show_list
// the list is empty, and a Business-portfolio Page needs business_management — the two ways real
// users "lose" Pages (field lessons §1).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { fieldsParam } from '../fields.ts';
import { activeTokenRequired, nonexistingField, unsupportedRequest } from '../graph-errors.ts';
import { stringParam } from '../graph-params.ts';
import { graphRoute } from '../graph-route.ts';
import { ACCOUNTS_DEFAULT_FIELDS, assertKnownFields, PAGE, renderNode } from '../node-fields.ts';
import { paginate, pagingBlock } from '../paging.ts';
import { versionPrefix } from '../versioning.ts';

export function registerAccountsRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const handler = graphRoute(ctx, 'me.accounts', (call) => {
    const owner = (call.req.params as { id?: string }).id ?? 'me';
    const principal = call.auth();
    if (principal.kind === 'page') throw nonexistingField('accounts', 'Page');
    if (principal.kind === 'app')
      throw owner === 'me' ? activeTokenRequired() : unsupportedRequest('GET', owner);
    const token = principal.token;
    if (owner !== 'me' && owner !== token.userId) throw unsupportedRequest('GET', owner);

    const selection =
      fieldsParam(stringParam(call.params, 'fields')) ?? fieldsParam(ACCOUNTS_DEFAULT_FIELDS.join(','));
    assertKnownFields(PAGE, selection);
    const pages = token.grant.scopes.includes('pages_show_list') ? ctx.world.listedPages(token.grant) : [];
    const paged = paginate(pages, (p) => p.id, call.params);
    const data = paged.items.map((page) =>
      renderNode(PAGE, page, selection, {
        baseUrl: call.baseUrl,
        pageAccessToken: (p) => ctx.world.tokens.pageTokenFor(token, p.id).value,
      }),
    );
    const path = `${versionPrefix(call.req)}/${token.userId}/accounts`;
    const paging = pagingBlock(paged, call.baseUrl, path, call.params);
    return paging ? { data, paging } : { data };
  });
  app.get('/me/accounts', handler);
  app.get('/:id/accounts', handler);
}
