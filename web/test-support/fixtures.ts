import type {
  ConnectionView,
  MemberView,
  PendingPagesResponse,
  PendingPageView,
  Role,
  SessionView,
} from '../api/contract.ts';

export function session(role: Role = 'owner'): SessionView {
  return {
    user: { id: 'u1', email: 'ada@example.com' },
    organization: { id: 'o1', name: 'Acme Support' },
    role,
  };
}

export function member(overrides: Partial<MemberView> = {}): MemberView {
  return { user_id: 'u1', email: 'ada@example.com', role: 'owner', ...overrides };
}

export function connection(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    facebook_page_id: '1001',
    facebook_page_name: 'Acme Shoes',
    instagram_business_account_id: '17841400000000001',
    instagram_username: 'acmeshoes',
    status: 'active',
    status_reason: null,
    webhooks: { page: 'subscribed', app_page: 'subscribed', app_instagram: 'subscribed' },
    connected_at: '2026-03-05T12:00:00.000Z',
    connected_by: { user_id: 'u1', email: 'ada@example.com' },
    ...overrides,
  };
}

export function pendingPage(overrides: Partial<PendingPageView> = {}): PendingPageView {
  return {
    id: '1001',
    name: 'Acme Shoes',
    instagram_business_account_id: '17841400000000001',
    instagram_username: 'acmeshoes',
    available: true,
    unavailable_reason: null,
    ...overrides,
  };
}

export function pendingPages(pages: PendingPageView[]): PendingPagesResponse {
  return { pages, expires_at: '2026-03-05T12:05:00.000Z' };
}

/** `count` available Pages named "Page 1" … "Page N", ids 2001…. */
export function manyPages(count: number): PendingPageView[] {
  return Array.from({ length: count }, (_, i) =>
    pendingPage({
      id: String(2001 + i),
      name: `Page ${i + 1}`,
      instagram_username: null,
      instagram_business_account_id: null,
    }),
  );
}
