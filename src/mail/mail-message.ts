// One e-mail in plain text and HTML from a few paragraphs and one link. Values that come from people or
// from Meta (organization, member and Page names, Meta's reasons) are escaped for the HTML part.
import type { MailMessage } from './mailer.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function mailMessage(
  to: string,
  subject: string,
  lines: string[],
  link: { label: string; url: string },
): MailMessage {
  const text = `${lines.join('\n\n')}\n\n${link.label}: ${link.url}\n`;
  const html = `${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}\n<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>\n<p style="color:#5b6270">${escapeHtml(link.url)}</p>\n`;
  return { to, subject, text, html };
}
