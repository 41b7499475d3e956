import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from '@ums/service-kit/logger';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The message's links (also in `text`), so tests and local users need not parse the body. */
  links?: Record<string, string>;
}

/** One message as stored in the local outbox folder (one JSON file per message). */
export interface StoredMail extends MailMessage {
  id: string;
  from: string;
  createdAt: string;
  links: Record<string, string>;
}

export interface Mailer {
  /** 'smtp' when SMTP_URL is set, otherwise 'outbox' (a local folder). */
  readonly transport: 'smtp' | 'outbox';
  /** Delivers one message; rejects when it cannot. */
  send(message: MailMessage): Promise<void>;
  /**
   * Delivers in the background: the caller's response does not wait for (or reveal the timing of)
   * delivery. Failures are logged without the body, which may carry a one-time token.
   */
  sendLater(message: MailMessage): void;
  /** Waits for background deliveries (shutdown, tests). */
  flush(): Promise<void>;
}

export interface MailerConfig {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
  MAIL_OUTBOX_DIR: string;
  NODE_ENV: string;
}

/** Sortable file names: time first, then randomness so two messages in one millisecond never clash. */
function messageId(): string {
  return `${Date.now().toString().padStart(15, '0')}-${randomBytes(6).toString('hex')}`;
}

async function writeToOutbox(dir: string, mail: StoredMail): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Write then rename, so a reader never sees half a file.
  const temp = join(dir, `.${mail.id}.tmp`);
  await writeFile(temp, `${JSON.stringify(mail, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, join(dir, `${mail.id}.json`));
}

/**
 * Mail through SMTP (nodemailer) when SMTP_URL is configured, otherwise into MAIL_OUTBOX_DIR, which
 * tests and `npm start` users read. Messages carry one-time tokens: nothing here logs a body or link.
 */
export function createMailer(config: MailerConfig, logger: Logger): Mailer {
  const outboxDir = resolve(config.MAIL_OUTBOX_DIR);
  const smtpUrl = config.SMTP_URL;
  // nodemailer is loaded only when mail goes out over SMTP (a few MB an outbox setup never needs).
  const smtp: Promise<Transporter> | undefined = smtpUrl
    ? import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl))
    : undefined;
  if (!smtp && config.NODE_ENV === 'production') {
    logger.warn(
      { outboxDir },
      'SMTP_URL is not set: mail is written to the local outbox folder, not sent',
    );
  }
  const pending = new Set<Promise<void>>();

  async function send(message: MailMessage): Promise<void> {
    if (smtp) {
      await (
        await smtp
      ).sendMail({
        from: config.MAIL_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    } else {
      const stored: StoredMail = {
        id: messageId(),
        from: config.MAIL_FROM,
        createdAt: new Date().toISOString(),
        ...message,
        links: message.links ?? {},
      };
      await writeToOutbox(outboxDir, stored);
    }
    logger.info({ mailTransport: smtp ? 'smtp' : 'outbox', subject: message.subject }, 'mail sent');
  }

  return {
    transport: smtp ? 'smtp' : 'outbox',
    send,
    sendLater(message) {
      const delivery = send(message)
        .catch((error: unknown) =>
          logger.warn({ err: error, subject: message.subject }, 'mail delivery failed'),
        )
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    },
    async flush() {
      await Promise.allSettled([...pending]);
    },
  };
}

/** Every message in an outbox folder (only those to `to`, case-insensitive, when given), oldest first. */
export async function readOutbox(dir: string, to?: string): Promise<StoredMail[]> {
  let names: string[];
  try {
    names = (await readdir(resolve(dir))).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const mails = await Promise.all(
    names.map(async (n) => JSON.parse(await readFile(join(resolve(dir), n), 'utf8')) as StoredMail),
  );
  return to === undefined ? mails : mails.filter((m) => m.to.toLowerCase() === to.toLowerCase());
}

/** The latest message to `to` in an outbox folder, if any. */
export async function latestMail(dir: string, to: string): Promise<StoredMail | undefined> {
  return (await readOutbox(dir, to)).at(-1);
}

/**
 * Waits (polling) until the outbox holds a message to `to` matching `accept`; returns the latest
 * such message. For tests and scripts: background delivery means the mail lands just after the reply.
 */
export async function waitForMail(
  dir: string,
  to: string,
  accept: (mail: StoredMail) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<StoredMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await readOutbox(dir, to)).filter(accept).at(-1);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
