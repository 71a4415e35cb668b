// The test Facebook users seeded at start and on every reset. Their ids are stable across runs so that
// tests and docs can name them; each covers one case the connection flow must handle (CONTRACT §7):
// no Pages, one Page with Instagram, a few Pages, more Pages than one me/accounts page (25), and a Page
// reachable only through a Business portfolio.
import { DEFAULT_TASKS, type Page, type Persona } from './model.ts';

export interface PersonaSpec {
  key: string;
  name: string;
  pageCount: number;
  /** Fraction of the pages with a linked Instagram professional account (0..1). */
  igRatio?: number;
  tasks?: string[];
  businessOnly?: boolean;
  pageNames?: string[];
  igUsernames?: string[];
}

export const SEED_PERSONAS: PersonaSpec[] = [
  { key: 'none', name: 'Nadia Nopages', pageCount: 0 },
  {
    key: 'one',
    name: 'Olivia Onepage',
    pageCount: 1,
    igRatio: 1,
    pageNames: ["Olivia's Bakery"],
    igUsernames: ['olivias.bakery'],
  },
  {
    key: 'three',
    name: 'Theo Threepages',
    pageCount: 3,
    igRatio: 2 / 3,
    pageNames: ["Theo's Bikes", "Theo's Coffee", "Theo's Garage"],
    igUsernames: ['theos.bikes', 'theos.coffee'],
  },
  { key: 'thirty', name: 'Tara Thirtypages', pageCount: 30, igRatio: 1 / 3 },
  {
    key: 'business',
    name: 'Bruno Business',
    pageCount: 1,
    igRatio: 1,
    businessOnly: true,
    pageNames: ['Bruno Holdings'],
    igUsernames: ['bruno.holdings'],
  },
];

const CATEGORIES = ['Local business', 'Bakery', 'Bicycle shop', 'Coffee shop', 'Shopping & retail'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `ordinal` numbers personas (1-based) so every id derived from it is unique and stable. */
export function buildPersona(spec: PersonaSpec, ordinal: number): Persona {
  const userId = `1000${pad(ordinal, 11)}`;
  const igRatio = spec.igRatio ?? 0;
  const igCount = Math.round(spec.pageCount * igRatio);
  const pages: Page[] = [];
  for (let i = 0; i < spec.pageCount; i++) {
    const pageId = `2${pad(ordinal, 6)}${pad(i + 1, 8)}`;
    const name = spec.pageNames?.[i] ?? `${spec.name.split(' ')[0]}'s Page ${i + 1}`;
    // Spread the linked accounts evenly, starting with the first page (pages 1, 4, 7… at a third).
    const linkedSoFar = Math.ceil((i * igCount) / spec.pageCount);
    const linkedAfter = Math.ceil(((i + 1) * igCount) / spec.pageCount);
    const hasIg = linkedAfter > linkedSoFar;
    const igIndex = linkedAfter - 1;
    pages.push({
      id: pageId,
      name,
      category: CATEGORIES[i % CATEGORIES.length] ?? 'Local business',
      tasks: [...(spec.tasks ?? DEFAULT_TASKS)],
      instagram: hasIg
        ? {
            id: `17841${pad(ordinal, 5)}${pad(i + 1, 7)}`,
            username:
              spec.igUsernames?.[igIndex] ??
              `${spec.key.replace(/[^a-z0-9]/gi, '').toLowerCase()}.page${i + 1}`,
            name,
            pageId,
          }
        : null,
      businessOnly: spec.businessOnly ?? false,
      personaKey: spec.key,
      subscribedFields: null,
    });
  }
  return { key: spec.key, userId, name: spec.name, pages };
}
