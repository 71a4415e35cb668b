// The HTML of the login dialog: Meta-style error pages, and the consent page where a person picks a test
// user, ticks the Pages the app may use (Meta's granular Page selection) and continues or cancels. The
// form is plain HTML so the typed client (client.ts) can submit it without a browser; the script only
// hides the Page lists of the users not chosen. Continue comes first in the markup so that pressing
// Enter continues (implicit submission uses the first button); CSS shows it on the right, as Meta does.
import type { EmulatorContext } from './context.ts';
import { escapeHtml, htmlPage } from './html.ts';
import type { DialogRequest } from './login-dialog.ts';
import type { Persona } from './model.ts';

const CSS = `
  .persona{border-top:1px solid #e4e6eb;padding:8px 0} .persona:first-of-type{border-top:0}
  .pages{margin:6px 0 4px 26px} .pages label{display:block;padding:2px 0} .actions{display:flex;gap:8px;
  flex-direction:row-reverse;margin-top:16px} ul.scopes{margin:4px 0;padding-left:20px} .tag{font-size:12px;
  background:#e7f3ff;color:#1877f2;border-radius:4px;padding:0 4px;margin-left:4px}
`;

export function errorPage(heading: string, message: string): string {
  return htmlPage(
    'Error',
    `<main role="main">
<p class="brand">facebook <span class="muted">(emulator)</span></p>
<h1>${escapeHtml(heading)}</h1>
<p id="error-message">${escapeHtml(message)}</p>
</main>`,
    CSS,
  );
}

const hidden = (name: string, value: string) =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;

export function consentPage(ctx: EmulatorContext, request: DialogRequest): string {
  const personas = [...ctx.world.personas.values()];
  const preselected = ctx.world.personas.has('one') ? 'one' : personas[0]?.key;
  const hiddenFields = [
    hidden('client_id', request.clientId),
    hidden('redirect_uri', request.redirectUri),
    hidden('response_type', 'code'),
    request.state === null ? '' : hidden('state', request.state),
    request.configId === null
      ? hidden('scope', request.scopes.join(','))
      : hidden('config_id', request.configId),
  ].join('\n');
  return htmlPage(
    `Log in to ${ctx.config.appName} | Facebook (emulator)`,
    `<main role="main">
<p class="brand">facebook <span class="muted">(emulator)</span></p>
<h1>${escapeHtml(ctx.config.appName)} wants to connect to your Pages</h1>
<form method="post" action="oauth/confirm">
${hiddenFields}
<fieldset>
<legend>Continue as</legend>
${personas.map((p) => personaBlock(p, p.key === preselected)).join('\n')}
</fieldset>
${scopeBlock(request)}
<div class="actions">
<button type="submit" name="action" value="continue" class="primary">Continue</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
</div>
</form>
</main>
<script>
(() => {
  const sync = () => {
    const chosen = document.querySelector('input[name="persona"]:checked')?.value;
    for (const set of document.querySelectorAll('fieldset[data-persona]')) set.hidden = set.dataset.persona !== chosen;
  };
  for (const radio of document.querySelectorAll('input[name="persona"]')) radio.addEventListener('change', sync);
  sync();
})();
</script>`,
    CSS,
  );
}

function personaBlock(persona: Persona, checked: boolean): string {
  const id = `persona-${persona.key}`;
  const count = persona.pages.length === 1 ? '1 Page' : `${persona.pages.length} Pages`;
  const pages = persona.pages
    .map((page) => {
      const pageId = `page-${page.id}`;
      const ig = page.instagram
        ? `Instagram @${escapeHtml(page.instagram.username)}`
        : 'no Instagram account';
      const business = page.businessOnly ? '<span class="tag">Business portfolio</span>' : '';
      return `<label for="${pageId}"><input type="checkbox" id="${pageId}" name="page_ids" value="${page.id}" data-persona="${escapeHtml(persona.key)}" checked> ${escapeHtml(page.name)} <span class="muted">(${ig})</span>${business}</label>`;
    })
    .join('\n');
  return `<div class="persona">
<input type="radio" id="${id}" name="persona" value="${escapeHtml(persona.key)}"${checked ? ' checked' : ''} required>
<label for="${id}"><strong>${escapeHtml(persona.name)}</strong> <span class="muted">${count} · test user ${persona.userId} · “${escapeHtml(persona.key)}”</span></label>
${persona.pages.length ? `<fieldset class="pages" data-persona="${escapeHtml(persona.key)}"><legend>Pages ${escapeHtml(persona.name)} lets the app use</legend>\n${pages}\n</fieldset>` : ''}
</div>`;
}

function scopeBlock(request: DialogRequest): string {
  const optional = request.scopes.filter((s) => s !== 'public_profile');
  if (request.configId !== null) {
    return `<fieldset><legend>Permissions (required by configuration ${escapeHtml(request.configId)})</legend>
<ul class="scopes">${request.scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul></fieldset>`;
  }
  const boxes = optional
    .map((s) => {
      const id = `scope-${s}`;
      return `<label for="${id}"><input type="checkbox" id="${id}" name="granted_scopes" value="${escapeHtml(s)}" checked> ${escapeHtml(s)}</label>`;
    })
    .join('<br>\n');
  return `<fieldset><legend>Permissions the app asks for</legend>
${hidden('scope_choice', '1')}
<p class="muted">public_profile is always granted.</p>
${boxes}
</fieldset>`;
}
