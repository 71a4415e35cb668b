// The emulator's root page: a newcomer plays the customer. Pick a Page (Messenger) or its Instagram
// account, write as a customer, and watch the conversation, including what the app sends back. It is
// a thin client of the control API (inbound, sent, read), polling once a second.
import { htmlPage } from './html.ts';

const CSS = `
  main{max-width:760px} label{display:block;font-weight:600;margin:10px 0 4px} select,input,textarea{font:inherit;
  width:100%;padding:6px 8px;border:1px solid #ccd0d5;border-radius:6px} textarea{min-height:64px}
  .row{display:flex;gap:8px;margin-top:10px;flex-wrap:wrap} ol{list-style:none;padding:0;margin:0}
  #conversation li{margin:6px 0;max-width:80%;padding:6px 10px;border-radius:14px;word-wrap:break-word}
  #conversation li.in{background:#e4e6eb} #conversation li.out{background:#1877f2;color:#fff;margin-left:auto}
  #conversation li small{display:block;opacity:.75;font-size:11px} h2{font-size:16px;margin:20px 0 8px}
`;

const SCRIPT = `
(() => {
  const $ = (id) => document.getElementById(id);
  const target = $('target'), nameInput = $('customer-name'), text = $('text'), status = $('status'), list = $('conversation');
  const key = () => 'emulator-customer:' + target.value;
  const customerId = () => localStorage.getItem(key());
  const api = async (path, body) => {
    const res = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(json.error?.message ?? res.statusText);
    return json;
  };
  const describe = (d) => d.state === 'skipped' ? 'not delivered to the app: ' + d.reason
    : d.state === 'delivered' ? 'delivered to the app (HTTP ' + d.attempts.at(-1).status + ')'
    : d.state + ' (' + (d.attempts.at(-1)?.error ?? 'HTTP ' + d.attempts.at(-1)?.status) + ')';

  async function loadTargets() {
    const state = await api('/_emulator/state');
    const options = [];
    for (const persona of state.personas) for (const page of persona.pages) {
      const installed = page.subscribed_fields !== null;
      options.push({ installed, value: 'page:' + page.id, label: 'Messenger · ' + page.name + (installed ? ' ✓' : '') + ' (' + persona.name + ')' });
      if (page.instagram) options.push({ installed, value: 'ig:' + page.instagram.id, label: 'Instagram · @' + page.instagram.username + (installed ? ' ✓' : '') + ' (' + persona.name + ')' });
    }
    options.sort((a, b) => Number(b.installed) - Number(a.installed));
    const previous = localStorage.getItem('emulator-target');
    target.replaceChildren(...options.map((o) => new Option(o.label, o.value, false, o.value === previous)));
  }

  async function refresh() {
    const id = customerId();
    if (!id) { list.replaceChildren(); return; }
    const [inbound, sent] = await Promise.all([
      api('/_emulator/inbound?customer_id=' + encodeURIComponent(id)),
      api('/_emulator/sent?recipient_id=' + encodeURIComponent(id)),
    ]);
    const items = [
      ...inbound.messages.map((m) => ({ t: m.timestamp, dir: 'in', text: m.text ?? m.attachments.map((a) => '[' + a.type + '] ' + a.url).join(' '), note: 'you' })),
      ...sent.messages.map((m) => ({ t: m.timestamp, dir: 'out', mid: m.mid, file: m.file, text: m.text ?? '[' + m.attachment?.type + '] ' + (m.file ? m.file.content_type + ', ' + m.file.size + ' bytes' : ''), note: 'the app · ' + (m.read_at ? 'read' : m.delivered_at ? 'delivered' : 'sent') })),
    ].sort((a, b) => a.t - b.t);
    list.replaceChildren(...items.map((i) => {
      const li = document.createElement('li');
      li.className = i.dir;
      li.textContent = i.text;
      if (i.file && i.file.content_type.startsWith('image/')) {
        const img = document.createElement('img');
        img.src = '/_emulator/sent/' + encodeURIComponent(i.mid) + '/file';
        img.alt = 'Image from the app';
        img.style.maxWidth = '12rem';
        img.style.display = 'block';
        li.append(img);
      }
      const small = document.createElement('small');
      small.textContent = i.note + ' · ' + new Date(i.t).toLocaleTimeString();
      li.append(small);
      return li;
    }));
  }

  $('compose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const [kind, id] = target.value.split(':');
    const body = { [kind === 'page' ? 'page_id' : 'ig_id']: id, text: text.value, customer_name: nameInput.value || undefined };
    if (customerId()) body.customer_id = customerId();
    try {
      const result = await api('/_emulator/inbound', body);
      localStorage.setItem(key(), result.customer.id);
      text.value = '';
      status.textContent = 'Sent as ' + result.customer.name + ' — ' + describe(result.delivery);
      await refresh();
    } catch (err) { status.textContent = 'Could not send: ' + err.message; }
  });
  $('new-customer').addEventListener('click', () => { localStorage.removeItem(key()); status.textContent = 'The next message starts a new conversation.'; refresh(); });
  $('mark-read').addEventListener('click', async () => {
    const [kind, id] = target.value.split(':');
    try {
      const result = await api('/_emulator/read', { [kind === 'page' ? 'page_id' : 'ig_id']: id, customer_id: customerId() ?? '' });
      status.textContent = 'Read receipt — ' + describe(result.delivery);
    } catch (err) { status.textContent = 'Could not mark as read: ' + err.message; }
  });
  target.addEventListener('change', () => { localStorage.setItem('emulator-target', target.value); refresh(); });
  loadTargets().then(refresh).catch((err) => { status.textContent = 'Could not load the emulator state: ' + err.message; });
  setInterval(() => refresh().catch(() => {}), 1000);
})();
`;

export function playgroundPage(appName: string): string {
  return htmlPage(
    'Meta emulator — play the customer',
    `<main role="main">
<p class="brand">Meta emulator</p>
<h1>Play the customer</h1>
<p class="muted">Write to a Page or its Instagram account as a customer would. The message reaches ${appName}
as a signed webhook if the app subscribed to it (✓ = app installed on the Page). Replies the app sends
through the Send API appear below.</p>
<form id="compose">
<label for="target">Conversation with</label>
<select id="target" required></select>
<label for="customer-name">Your name as the customer</label>
<input id="customer-name" autocomplete="off" placeholder="e.g. Ada Lovelace">
<label for="text">Message</label>
<textarea id="text" required></textarea>
<div class="row">
<button type="submit" class="primary">Send as customer</button>
<button type="button" id="mark-read" class="secondary">Mark the app's messages as read</button>
<button type="button" id="new-customer" class="secondary">Start a new conversation</button>
</div>
<p id="status" role="status" aria-live="polite"></p>
</form>
<section aria-labelledby="conversation-heading">
<h2 id="conversation-heading">Conversation</h2>
<ol id="conversation" aria-live="polite"></ol>
</section>
</main>
<script>${SCRIPT}</script>`,
    CSS,
  );
}
