// The wording of the account e-mails (invitation, password reset), each in plain text and HTML. Values
// that come from people are escaped for the HTML part (mail-message.ts).
import { mailMessage as message } from './mail-message.ts';
import type { MailMessage } from './mailer.ts';

export function invitationMail(input: {
  to: string;
  organization: string;
  inviter: string;
  role: string;
  url: string;
}): MailMessage {
  return message(
    input.to,
    `${input.inviter} invited you to ${input.organization} on Parley`,
    [
      `${input.inviter} invited you to join ${input.organization} on Parley as ${input.role === 'admin' ? 'an admin' : 'an agent'}.`,
      'The link works once and for 7 days.',
    ],
    { label: 'Accept the invitation', url: input.url },
  );
}

export function passwordResetMail(input: { to: string; url: string }): MailMessage {
  return message(
    input.to,
    'Reset your Parley password',
    [
      'Someone asked to reset the password of your Parley account. If it was not you, ignore this e-mail.',
      'The link works once and for one hour; every signed-in session ends when the password changes.',
    ],
    { label: 'Choose a new password', url: input.url },
  );
}
