// Outbound e-mail over SMTP with nodemailer (SMTP_URL, MAIL_FROM: CONTRACT §2). Mail is optional:
// without SMTP_URL there is no Mailer at all (null), and every caller already has the link it would
// have sent, which the UI shows to copy. Sending never decides an outcome: a refused or unreachable
// server is logged (without the message body, which holds a link token: R50) and the caller carries on.
import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export class Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    // Required here, only when SMTP_URL is set, not at start: resident memory (issue 15).
    const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  /** true when the SMTP server accepted the message. */
  async send(message: MailMessage): Promise<boolean> {
    try {
      await this.transport.sendMail({ from: this.from, ...message });
      return true;
    } catch (err) {
      this.logger.warn(
        { err: { message: (err as Error).message }, subject: message.subject },
        'mail not sent',
      );
      return false;
    }
  }

  close(): void {
    this.transport.close();
  }
}
