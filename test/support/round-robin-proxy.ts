import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer in front of the stack's API processes. */
export interface RoundRobinProxy {
  /** Where the stores deliver and the admin calls go: `http://127.0.0.1:{port}`. */
  readonly url: string;
  /** Requests forwarded to each backend so far, by its base URL. */
  forwarded(): Record<string, number>;
  close(): Promise<void>;
}

/**
 * Hands each request to the next API process in turn, as a load balancer in front of several
 * API replicas would (`docker compose --scale api=M` behind one). A backend that refuses the
 * connection (killed, or not started again yet) is skipped for the next one, so killing an API
 * process costs the stores no failed delivery; a backend that dies mid-answer gives 502, as a
 * real balancer would, and the store retries. Bodies are buffered to be re-sent; the stack's
 * requests are small.
 */
export async function startRoundRobinProxy(backends: () => string[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  const counts = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const urls = backends();
      const first = next++;
      const attempt = (tried: number): void => {
        if (tried >= urls.length) {
          response.writeHead(502, { 'content-type': 'text/plain' }).end('no API process answered');
          return;
        }
        const base = new URL(urls[(first + tried) % urls.length]!);
        const upstream = http.request(
          {
            host: base.hostname,
            port: base.port,
            method: request.method,
            path: request.url,
            headers: { ...forwardable(request.headers), host: base.host, 'content-length': String(body.length) },
            // A fresh connection each time: a pooled one to a killed process would fail mid-request instead of being refused.
            agent: false,
          },
          (answer) => {
            counts.set(base.origin, (counts.get(base.origin) ?? 0) + 1);
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
            answer.on('error', () => response.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (response.headersSent) response.destroy();
          // Refused: nothing reached that process, so the next one may have it.
          else if (error.code === 'ECONNREFUSED') attempt(tried + 1);
          else response.writeHead(502, { 'content-type': 'text/plain' }).end(`API process failed: ${error.code ?? error.message}`);
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    forwarded: () => Object.fromEntries(counts),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request's headers minus its framing, which the buffered body replaces. */
function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const { 'transfer-encoding': _framing, connection: _connection, ...rest } = headers;
  return rest;
}
