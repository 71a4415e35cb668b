// Everything the emulated Meta knows: personas and their Pages, Instagram accounts, customers, grants,
// codes, tokens, app subscriptions and the message logs. reset() returns it to the seeded state.
import { CodeStore } from './auth-codes.ts';
import type { Clock } from './clock.ts';
import type {
  AppSubscription,
  Customer,
  Grant,
  InboundMessage,
  InstagramAccount,
  Page,
  Persona,
  SentMessage,
} from './model.ts';
import { buildPersona, type PersonaSpec, SEED_PERSONAS } from './personas.ts';
import { TokenStore } from './tokens.ts';

export type GraphNode =
  | { kind: 'page'; page: Page }
  | { kind: 'ig'; ig: InstagramAccount; page: Page }
  | { kind: 'customer'; customer: Customer }
  | { kind: 'user'; persona: Persona };

export class World {
  readonly personas = new Map<string, Persona>();
  readonly pages = new Map<string, Page>();
  readonly igAccounts = new Map<string, InstagramAccount>();
  readonly customers = new Map<string, Customer>();
  readonly grants = new Map<string, Grant>();
  readonly appSubscriptions = new Map<string, AppSubscription>();
  readonly tokens: TokenStore;
  readonly codes: CodeStore;
  sent: SentMessage[] = [];
  inbound: InboundMessage[] = [];
  /** CDN files Meta no longer serves (POST /_emulator/cdn/forget). */
  cdnForgotten = new Set<string>();
  /** How many times each message was edited (num_edit). */
  edits = new Map<string, number>();
  /** `flaky-*` CDN files already failed once. */
  cdnFailedOnce = new Set<string>();
  private personaCount = 0;

  constructor(clock: Clock) {
    this.tokens = new TokenStore(clock);
    this.codes = new CodeStore(clock);
    this.reset();
  }

  reset(): void {
    for (const map of [this.personas, this.pages, this.igAccounts, this.customers, this.grants]) map.clear();
    this.appSubscriptions.clear();
    this.tokens.clear();
    this.codes.clear();
    this.sent = [];
    this.inbound = [];
    this.cdnForgotten = new Set();
    this.edits = new Map();
    this.cdnFailedOnce = new Set();
    this.personaCount = 0;
    for (const spec of SEED_PERSONAS) this.addPersona(spec);
  }

  addPersona(spec: PersonaSpec): Persona {
    if (this.personas.has(spec.key)) throw new Error(`persona "${spec.key}" already exists`);
    const persona = buildPersona(spec, ++this.personaCount);
    this.personas.set(persona.key, persona);
    for (const page of persona.pages) {
      this.pages.set(page.id, page);
      if (page.instagram) this.igAccounts.set(page.instagram.id, page.instagram);
    }
    return persona;
  }

  nextPersonaOrdinal(): number {
    return this.personaCount + 1;
  }

  personaByUserId(userId: string): Persona | undefined {
    for (const persona of this.personas.values()) if (persona.userId === userId) return persona;
    return undefined;
  }

  /** Pages me/accounts lists: ticked in the dialog, and Business-portfolio ones only with business_management. */
  listedPages(grant: Grant): Page[] {
    const persona = this.personaByUserId(grant.userId);
    if (!persona) return [];
    const withBusiness = grant.scopes.includes('business_management');
    return persona.pages.filter((p) => grant.pageIds.includes(p.id) && (!p.businessOnly || withBusiness));
  }

  /**
   * Direct reads (/{page-id}, its token) only need the Page ticked: the listing limit of Business Pages
   * is just a listing limit, which is why apps fall back to debug_token's target_ids (field lessons §1).
   */
  canReachPage(grant: Grant, pageId: string): boolean {
    return grant.pageIds.includes(pageId) && this.pages.has(pageId);
  }

  /**
   * Moves an Instagram account to another Page, as an admin relinking it in Business Suite does: it
   * leaves its old Page (whose lookups no longer show it) and the new Page's lookups show it. false when
   * the account or Page is unknown, or the Page already has another account linked.
   */
  linkInstagram(igId: string, pageId: string): boolean {
    const ig = this.igAccounts.get(igId);
    const target = this.pages.get(pageId);
    if (!ig || !target || (target.instagram && target.instagram.id !== igId)) return false;
    const previous = this.pages.get(ig.pageId);
    if (previous && previous !== target) previous.instagram = null;
    ig.pageId = target.id;
    target.instagram = ig;
    return true;
  }

  findNode(id: string): GraphNode | null {
    const page = this.pages.get(id);
    if (page) return { kind: 'page', page };
    const ig = this.igAccounts.get(id);
    const igPage = ig && this.pages.get(ig.pageId);
    if (ig && igPage) return { kind: 'ig', ig, page: igPage };
    const customer = this.customers.get(id);
    if (customer) return { kind: 'customer', customer };
    const persona = this.personaByUserId(id);
    if (persona) return { kind: 'user', persona };
    return null;
  }
}
