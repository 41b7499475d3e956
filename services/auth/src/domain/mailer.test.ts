import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLogger } from '@ums/service-kit/test/test-support';
import { createMailer, latestMail, readOutbox, waitForMail } from './mailer.ts';

/** A minimal SMTP server (no TLS, no auth) that keeps each message's raw DATA. */
async function startSmtpServer(): Promise<{
  url: string;
  messages: string[];
  close: () => Promise<void>;
}> {
  const messages: string[] = [];
  const server: Server = createServer((socket) => {
    let inData = false;
    let data = '';
    let pending = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      pending += chunk.toString('utf8');
      let index: number;
      while ((index = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, index);
        pending = pending.slice(index + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(data);
            data = '';
            socket.write('250 OK queued\r\n');
          } else data += `${line}\n`;
        } else if (/^(EHLO|HELO)/i.test(line)) socket.write('250 test\r\n');
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('mailer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ums-mail-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('when no SMTP_URL is set, then each message becomes one JSON file in the outbox folder that the helpers read back', async () => {
    const logs = captureLogger('debug');
    const mailer = createMailer(
      { MAIL_FROM: 'UMS <no-reply@ums.test>', MAIL_OUTBOX_DIR: dir, NODE_ENV: 'test' },
      logs.logger,
    );
    expect(mailer.transport).toBe('outbox');
    await mailer.send({
      to: 'Ada@Example.com',
      subject: 'First',
      text: 'one',
      links: { a: 'https://x.test/a' },
    });
    mailer.sendLater({ to: 'ada@example.com', subject: 'Second', text: 'two' });
    await mailer.send({ to: 'bob@example.com', subject: 'Other', text: 'three' });
    const second = await waitForMail(dir, 'ADA@example.com', (m) => m.subject === 'Second');
    expect(second).toMatchObject({
      to: 'ada@example.com',
      from: 'UMS <no-reply@ums.test>',
      text: 'two',
      links: {},
    });
    expect((await readOutbox(dir, 'ada@example.com')).map((m) => m.subject)).toEqual([
      'First',
      'Second',
    ]);
    expect((await latestMail(dir, 'bob@example.com'))?.subject).toBe('Other');
    expect(await latestMail(dir, 'nobody@example.com')).toBeUndefined();
    expect((await readdir(dir)).filter((n) => n.endsWith('.json'))).toHaveLength(3);
    expect(logs.lines().join('\n')).not.toContain('https://x.test/a');
  });

  it('when the outbox folder does not exist yet, then reading finds nothing and the first message creates it', async () => {
    const nested = join(dir, 'not', 'yet');
    expect(await readOutbox(nested)).toEqual([]);
    await expect(waitForMail(nested, 'x@example.com', () => true, 100)).rejects.toThrow(/no mail/);
    await createMailer(
      { MAIL_FROM: 'a@b.test', MAIL_OUTBOX_DIR: nested, NODE_ENV: 'test' },
      captureLogger().logger,
    ).send({ to: 'x@example.com', subject: 's', text: 't' });
    expect(await readOutbox(nested)).toHaveLength(1);
  });

  it('when SMTP_URL is set, then messages go to that server over SMTP and nothing is written to the outbox', async () => {
    const smtp = await startSmtpServer();
    const outbox = join(dir, 'unused');
    try {
      const mailer = createMailer(
        {
          SMTP_URL: smtp.url,
          MAIL_FROM: 'UMS <no-reply@ums.test>',
          MAIL_OUTBOX_DIR: outbox,
          NODE_ENV: 'test',
        },
        captureLogger().logger,
      );
      expect(mailer.transport).toBe('smtp');
      await mailer.send({
        to: 'carol@example.com',
        subject: 'Reset your password',
        text: 'link: https://app.test/reset-password#token=abc',
      });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]).toMatch(/^Subject: Reset your password$/m);
      expect(smtp.messages[0]).toMatch(/^To: carol@example\.com$/m);
      expect(await readOutbox(outbox)).toEqual([]);
    } finally {
      await smtp.close();
    }
  });

  it('when background delivery fails, then the failure is logged without the body or its token', async () => {
    const logs = captureLogger('debug');
    // Port 1 on loopback is closed: the connection is refused at once.
    const mailer = createMailer(
      {
        SMTP_URL: 'smtp://127.0.0.1:1',
        MAIL_FROM: 'a@b.test',
        MAIL_OUTBOX_DIR: dir,
        NODE_ENV: 'test',
      },
      logs.logger,
    );
    mailer.sendLater({
      to: 'dan@example.com',
      subject: 'Reset your password',
      text: 'https://app.test/reset-password#token=SECRET-TOKEN-VALUE-123',
    });
    await mailer.flush();
    const failure = logs.records().find((r) => r.msg === 'mail delivery failed');
    expect(failure).toBeDefined();
    expect(logs.lines().join('\n')).not.toContain('SECRET-TOKEN-VALUE-123');
  });
});
