// A real SMTP server (the smtp-server package) for mail tests: it keeps every message it receives,
// parsed, so a test reads what Parley sent instead of mocking the transport.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export class MailSink {
  readonly received: ParsedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, _session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          this.received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  port = 0;

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async waitFor(to: string, timeoutMs = 5000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m) => m.to && JSON.stringify(m.to).includes(to));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Every message to `to` so far. */
  to(to: string): ParsedMail[] {
    return this.received.filter((m) => m.to && JSON.stringify(m.to).includes(to));
  }
}
