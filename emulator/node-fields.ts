// How each Graph node type answers a field selection. A field whose value is absent (a Page without an
// Instagram account) is omitted, never null, as Meta does; an unknown field is Meta's (#100) error; and
// `id` is always present even when not asked for.
import { customerName } from './customers.ts';
import type { FieldSelection } from './fields.ts';
import { nonexistingField } from './graph-errors.ts';
import type { Customer, InstagramAccount, Page, Persona } from './model.ts';

export interface RenderContext {
  baseUrl: string;
  /** The Page token the caller may see for this Page, or undefined to omit `access_token`. */
  pageAccessToken(page: Page): string | undefined;
}

type Resolver<T> = (node: T, children: FieldSelection[] | null, ctx: RenderContext) => unknown;

export interface NodeType<T> {
  /** As named in Meta's "(#100) Tried accessing nonexisting field (x) on node type (Name)". */
  name: string;
  defaults: readonly string[];
  fields: Record<string, Resolver<T>>;
}

export function renderNode<T>(
  type: NodeType<T>,
  node: T,
  selection: FieldSelection[] | null,
  ctx: RenderContext,
): Record<string, unknown> {
  const wanted = selection ?? type.defaults.map((name) => ({ name, children: null }));
  assertKnownFields(type, wanted);
  const out: Record<string, unknown> = {};
  for (const field of wanted) {
    const value = type.fields[field.name]?.(node, field.children, ctx);
    if (value !== undefined) out[field.name] = value;
  }
  if (!('id' in out)) out.id = type.fields.id?.(node, null, ctx);
  return out;
}

/** Checks the top level of a selection up front, so an unknown field fails even when the list is empty. */
export function assertKnownFields<T>(type: NodeType<T>, selection: FieldSelection[] | null): void {
  for (const field of selection ?? [])
    if (!Object.hasOwn(type.fields, field.name)) throw nonexistingField(field.name, type.name);
}

const avatar = (ctx: RenderContext, id: string) => `${ctx.baseUrl}/_emulator/avatars/${id}.svg`;

export const INSTAGRAM_ACCOUNT: NodeType<InstagramAccount> = {
  name: 'IGUser',
  defaults: ['id'],
  fields: {
    id: (ig) => ig.id,
    username: (ig) => ig.username,
    name: (ig) => ig.name,
    profile_picture_url: (ig, _c, ctx) => avatar(ctx, ig.id),
  },
};

export const PAGE: NodeType<Page> = {
  name: 'Page',
  defaults: ['name', 'id'],
  fields: {
    id: (p) => p.id,
    name: (p) => p.name,
    category: (p) => p.category,
    category_list: (p) => [{ id: '2500', name: p.category }],
    tasks: (p) => [...p.tasks],
    access_token: (p, _c, ctx) => ctx.pageAccessToken(p),
    instagram_business_account: (p, children, ctx) =>
      p.instagram ? renderNode(INSTAGRAM_ACCOUNT, p.instagram, children, ctx) : undefined,
  },
};

/** me/accounts answers with more fields by default than a Page read does (reference §4). */
export const ACCOUNTS_DEFAULT_FIELDS = ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'];

export const MESSENGER_PROFILE: NodeType<Customer> = {
  name: 'User',
  defaults: ['first_name', 'last_name', 'profile_pic', 'id'],
  fields: {
    id: (c) => c.id,
    name: (c) => customerName(c),
    first_name: (c) => c.firstName,
    last_name: (c) => c.lastName,
    profile_pic: (c, _ch, ctx) => avatar(ctx, c.id),
  },
};

export const INSTAGRAM_PROFILE: NodeType<Customer> = {
  name: 'User',
  defaults: ['name', 'username', 'profile_pic', 'id'],
  fields: {
    id: (c) => c.id,
    name: (c) => customerName(c),
    username: (c) => c.username,
    profile_pic: (c, _ch, ctx) => avatar(ctx, c.id),
  },
};

export const USER: NodeType<Persona> = {
  name: 'User',
  defaults: ['name', 'id'],
  fields: {
    id: (p) => p.userId,
    name: (p) => p.name,
    first_name: (p) => p.name.split(' ')[0],
    last_name: (p) => p.name.split(' ').slice(1).join(' '),
  },
};

export interface AppNode {
  id: string;
  name: string;
}

export const APP: NodeType<AppNode> = {
  name: 'Application',
  defaults: ['name', 'id'],
  fields: {
    id: (a) => a.id,
    name: (a) => a.name,
    link: (a) => `https://www.facebook.com/games/?app_id=${a.id}`,
  },
};
