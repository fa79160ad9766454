/**
 * Outgoing e-mail: plain-text messages through the SMTP server of SMTP_URL (nodemailer). There is no
 * mailer when SMTP_URL is empty; callers then show what they would have sent to the person acting.
 *
 * Messages are UTF-8; nodemailer encodes a Chinese subject as an RFC 2047 encoded word and the body as
 * quoted-printable or base64. Connections time out after seconds, not minutes, since someone waits
 * for the answer. Errors name what failed (connection, TLS, authentication, the server's refusal)
 * and never carry the password.
 */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config/index.ts';

export interface MailMessage {
  /** One address: the value is checked here too, so it can never name a second recipient. */
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Sends one message; resolves once the server accepted it, rejects with a MailError otherwise. */
  send(message: MailMessage): Promise<void>;
  /** The server, without its password (for logs). */
  readonly server: string;
}

/** Why a message was not sent: a short code (nodemailer's, e.g. ECONNECTION, EAUTH, EENVELOPE). */
export class MailError extends Error {
  constructor(
    readonly code: string,
    readonly responseCode: number | undefined,
  ) {
    super(`e-mail not sent: ${code}${responseCode ? ` (SMTP ${responseCode})` : ''}`);
    this.name = 'MailError';
  }
}

const ONE_ADDRESS = /^[^@\s,;<>"]+@[^@\s,;<>"]+\.[^@\s,;<>"]+$/;

/** The mailer of the configuration, or undefined when no mail server is configured. */
export function createMailer(smtp: SmtpConfig | undefined): Mailer | undefined {
  if (!smtp) return undefined;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Messages are built here from text; nothing may make the mailer read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  });
  return {
    server: smtp.display,
    async send(message) {
      if (!ONE_ADDRESS.test(message.to)) throw new MailError('EADDRESS', undefined);
      let info: { rejected?: unknown[] };
      try {
        info = await transport.sendMail({
          from: smtp.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          textEncoding: 'base64',
        });
      } catch (e) {
        const err = e as { code?: unknown; responseCode?: unknown };
        throw new MailError(
          typeof err.code === 'string' ? err.code : 'ESEND',
          typeof err.responseCode === 'number' ? err.responseCode : undefined,
        );
      }
      if ((info.rejected?.length ?? 0) > 0) throw new MailError('EENVELOPE', undefined);
    },
  };
}
