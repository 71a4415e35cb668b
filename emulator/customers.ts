// People who message a Page or its Instagram account. They appear when the control API sends an inbound
// message as them; their id is a PSID (Messenger) or an IGSID (Instagram), scoped to that Page/account.
import { randomDigits } from './ids.ts';
import type { Channel, Customer, Page } from './model.ts';
import type { World } from './world.ts';

const FIRST = ['Ada', 'Björn', 'Chloé', 'Dmitri', 'Emeka', 'Fatima', 'Gustavo', 'Hana', 'Ivan', 'Jürgen'];
const LAST = [
  'Lovelace',
  'Åkesson',
  'Dubois',
  'Petrov',
  'Okafor',
  'Haddad',
  'Silva',
  'Sato',
  'Novak',
  'Weiß',
];

export class CustomerConflictError extends Error {}

export interface CustomerRequest {
  channel: Channel;
  page: Page;
  id?: string;
  name?: string;
}

export function findOrCreateCustomer(world: World, req: CustomerRequest): Customer {
  const igId = req.channel === 'instagram' ? (req.page.instagram?.id ?? null) : null;
  if (req.id !== undefined) {
    const existing = world.customers.get(req.id);
    if (existing) {
      if (existing.channel !== req.channel || existing.pageId !== req.page.id) {
        throw new CustomerConflictError(
          `customer ${req.id} belongs to another ${existing.channel} conversation`,
        );
      }
      return existing;
    }
    if (world.findNode(req.id))
      throw new CustomerConflictError(`id ${req.id} is already used by another object`);
  }
  const id = req.id ?? uniqueId(world, req.channel);
  const [firstName, lastName] = splitName(req.name ?? randomName());
  const customer: Customer = {
    id,
    channel: req.channel,
    pageId: req.page.id,
    igId,
    firstName,
    lastName,
    username: `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z0-9._]/g, '') || `user${id.slice(-6)}`,
    lastInboundAt: null,
  };
  world.customers.set(id, customer);
  return customer;
}

export function customerName(c: Customer): string {
  return c.lastName ? `${c.firstName} ${c.lastName}` : c.firstName;
}

function uniqueId(world: World, channel: Channel): string {
  for (;;) {
    const id = randomDigits(channel === 'messenger' ? 16 : 17);
    if (!world.findNode(id)) return id;
  }
}

function randomName(): string {
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)] ?? list[0] ?? '';
  return `${pick(FIRST)} ${pick(LAST)}`;
}

function splitName(name: string): [string, string] {
  const trimmed = name.trim() || 'Customer';
  const space = trimmed.indexOf(' ');
  return space === -1 ? [trimmed, ''] : [trimmed.slice(0, space), trimmed.slice(space + 1)];
}
