import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { alertSignatureHeaders, verifyAlertSignature } from '../../connectors/alert-channels/signature.js';

/** One email as the local SMTP server received it, decoded enough to read. */
export interface ReceivedEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

function decodeQuotedPrintable(text: string): string {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < soft.length; index += 1) {
    const hex = soft.slice(index + 1, index + 3);
    if (soft[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else bytes.push(...Buffer.from(soft[index]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers unfolded (RFC 5322) and the body decoded from quoted-printable or base64. */
export function readEmail(raw: string, envelope: { from: string; to: string[] }): ReceivedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headerText)?.[1] ?? '';
  let body = raw.slice(split + 4);
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  if (encoding === 'base64') body = Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8');
  return { ...envelope, subject: header('Subject'), text: body.replace(/\r\n/g, '\n') };
}

/** A real SMTP server on a free local port (no TLS, no auth) that keeps what it receives. */
export interface LocalSmtpServer {
  port: number;
  received: ReceivedEmail[];
  close(): Promise<void>;
}

export async function startLocalSmtpServer(port = 0): Promise<LocalSmtpServer> {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        };
        received.push(readEmail(Buffer.concat(chunks).toString('utf8'), envelope));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return {
    port: address.port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One call the receiver took: its raw body parsed, and whether the signature verified. */
export interface ReceivedWebhook {
  verified: boolean;
  alertId: string | undefined;
  body: any;
}

/** A local HTTP receiver that verifies each alert webhook's HMAC as docs/alerts.md tells receivers to. */
export interface LocalWebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Secret the receiver verifies with; set once the tenant's is made. */
  secret: string;
  close(): Promise<void>;
}

export async function startLocalWebhookReceiver(): Promise<LocalWebhookReceiver> {
  const receiver: LocalWebhookReceiver = { url: '', received: [], secret: '', close: async () => {} };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const verified = verifyAlertSignature(
        receiver.secret,
        { timestamp: header(alertSignatureHeaders.timestamp), signature: header(alertSignatureHeaders.signature) },
        raw,
      );
      receiver.received.push({ verified, alertId: header(alertSignatureHeaders.id), body: JSON.parse(raw) as unknown });
      response.writeHead(verified ? 200 : 401, { 'content-type': 'text/plain' }).end(verified ? 'ok' : 'bad signature');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
