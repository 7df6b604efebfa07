import { createServer, type Server, type Socket } from 'node:net';
import { createSmtpEmailSender } from '../../../src/platform/email/smtp-email-sender.ts';

/** What a fake SMTP server saw of one message. */
type Received = { from: string; to: string[]; data: string; auth: string | null };

/**
 * Just enough SMTP (RFC 5321) for nodemailer: greeting, EHLO, optional AUTH PLAIN, MAIL, RCPT, DATA, QUIT. `rcptReply`
 * lets a test refuse recipients; `silent` accepts connections and never greets.
 */
const startFakeSmtpServer = async (options: { rcptReply?: string; silent?: boolean } = {}) => {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (options.silent) return;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let message: Received = { from: '', to: [], data: '', auth: null };
    let inData = false;
    let dataLines: string[] = [];
    let buffered = '';
    const handle = (line: string) => {
      if (inData) {
        if (line !== '.') return void dataLines.push(line.startsWith('..') ? line.slice(1) : line);
        inData = false;
        received.push({ ...message, data: dataLines.join('\n') });
        message = { from: '', to: [], data: '', auth: message.auth };
        return reply('250 2.0.0 queued');
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') return reply('250-fake.smtp.test\r\n250 AUTH PLAIN');
      if (verb === 'HELO') return reply('250 fake.smtp.test');
      if (verb === 'AUTH') {
        message.auth = Buffer.from(line.split(' ')[2] ?? '', 'base64')
          .toString('utf8')
          .split('\0')
          .join('|');
        return reply('235 2.7.0 authenticated');
      }
      if (verb === 'MAIL') {
        message.from = /<(.*)>/.exec(line)?.[1] ?? '';
        return reply('250 2.1.0 ok');
      }
      if (verb === 'RCPT') {
        message.to.push(/<(.*)>/.exec(line)?.[1] ?? '');
        return reply(options.rcptReply ?? '250 2.1.5 ok');
      }
      if (verb === 'DATA') {
        inData = true;
        dataLines = [];
        return reply('354 end data with <CR><LF>.<CR><LF>');
      }
      if (verb === 'RSET' || verb === 'NOOP') return reply('250 2.0.0 ok');
      if (verb === 'QUIT') {
        reply('221 2.0.0 bye');
        return void socket.end();
      }
      return reply('502 5.5.2 command not recognized');
    };
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        handle(line);
      }
    });
    reply('220 fake.smtp.test ESMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake SMTP server has no port');
  return {
    received,
    port: address.port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

type FakeSmtpServer = Awaited<ReturnType<typeof startFakeSmtpServer>>;

let server: FakeSmtpServer | undefined;
afterEach(async () => server?.close());

const email = {
  to: 'warehouse@example.com',
  subject: 'Out of stock: RED-CHAIR',
  body: 'Order order-42 asked for 7 units of RED-CHAIR.\n\nAdd stock for RED-CHAIR.',
};

describe('the SMTP email sender', () => {
  it('delivers the recipient, subject and plain-text body, from the configured sender, with the URL credentials', async () => {
    server = await startFakeSmtpServer();
    const mail = createSmtpEmailSender({
      url: `smtp://mailer:s3cret@127.0.0.1:${server.port}`,
      from: 'Kingdom <no-reply@example.com>',
    });

    await mail.send(email);
    mail.close();

    expect(server.received).toHaveLength(1);
    const [message] = server.received;
    expect(message).toMatchObject({
      from: 'no-reply@example.com',
      to: ['warehouse@example.com'],
      auth: '|mailer|s3cret',
    });
    expect(message?.data).toMatch(/^To: warehouse@example\.com$/m);
    expect(message?.data).toMatch(/^From: Kingdom <no-reply@example\.com>$/m);
    expect(message?.data).toMatch(/^Subject: Out of stock: RED-CHAIR$/m);
    expect(message?.data).toMatch(/^Content-Type: text\/plain/m);
    // The body follows the first blank line, line breaks as CRLF on the wire (joined with \n here).
    expect(message?.data.slice(message.data.indexOf('\n\n') + 2)).toBe(email.body);
  });

  it('fails the send when the server refuses the recipient, so the task rolls back and is retried', async () => {
    server = await startFakeSmtpServer({ rcptReply: '550 5.1.1 no such mailbox' });
    const mail = createSmtpEmailSender({ url: `smtp://127.0.0.1:${server.port}`, from: 'no-reply@example.com' });

    await expect(mail.send(email)).rejects.toThrow(/550 5\.1\.1 no such mailbox/);
    mail.close();
    expect(server.received).toEqual([]);
  });

  it('gives up on a server that never greets instead of holding the task transaction open', async () => {
    server = await startFakeSmtpServer({ silent: true });
    const mail = createSmtpEmailSender({
      url: `smtp://127.0.0.1:${server.port}?greetingTimeout=200`,
      from: 'no-reply@example.com',
    });
    const started = performance.now();

    await expect(mail.send(email)).rejects.toThrow(/greeting/i);
    mail.close();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
