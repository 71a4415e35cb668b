// A cookie-keeping HTTP client over fetch, acting like one browser: it stores Set-Cookie answers,
// sends JSON with Content-Type application/json, and never follows redirects (tests read Location).
export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(
    method: string,
    path: string,
    opts: { json?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined = opts.rawBody;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    } else if (method !== 'GET' && method !== 'HEAD' && opts.rawBody === undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const url = path.startsWith('http') ? path : this.baseUrl + path;
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text)
      parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, { headers });
  }

  post<T = unknown>(path: string, json?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, { json, headers });
  }
}

let counter = 0;
/** A unique email for a test user. */
export const uniqueEmail = (tag = 'user') => `${tag}-${process.pid}-${Date.now()}-${++counter}@example.test`;

/** Signs up a new organization's owner in this browser. */
export async function signup(browser: Browser, org = 'Acme') {
  const email = uniqueEmail('owner');
  const res = await browser.post<{ user: { id: string }; organization: { id: string } }>('/api/auth/signup', {
    email,
    password: 'correct horse battery',
    organization_name: org,
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
  return { email, userId: res.body.user.id, orgId: res.body.organization.id };
}

/**
 * The owner adds a member with a password; the member signs in on a browser of their own, at `baseUrl`
 * (the owner's instance unless another is named).
 */
export async function addMember(owner: Browser, role: 'admin' | 'agent' = 'agent', baseUrl = owner.baseUrl) {
  const email = uniqueEmail(role);
  const added = await owner.post('/api/organization/members', {
    email,
    password: 'correct horse battery',
    role,
  });
  if (added.status !== 201) throw new Error(`adding a member failed: ${added.status} ${added.text}`);
  const member = new Browser(baseUrl);
  const login = await member.post<{ user: { id: string } }>('/api/auth/login', {
    email,
    password: 'correct horse battery',
  });
  if (login.status !== 200) throw new Error(`member login failed: ${login.status} ${login.text}`);
  return { browser: member, email, userId: login.body.user.id };
}
