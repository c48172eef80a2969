import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/**
 * True when an `Authorization` header presents `token` as a bearer token, or when there is no
 * token to present. The comparison takes the same time whatever was offered.
 */
export function bearerTokenAccepted(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const offered = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (offered === undefined) return false;
  // Hashes first: equal lengths for the constant-time compare, whatever was offered.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(offered), digest(token));
}

export interface RunningMetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * A process's own `GET /metrics` on its own port (the worker's; the API serves its registry on
 * its own port instead): the registry in Prometheus text format, behind `token` when given.
 * Anything else is 404.
 */
export async function serveMetrics(
  registry: Registry,
  options: { host: string; port: number; token: string | undefined },
): Promise<RunningMetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!bearerTokenAccepted(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('unauthorized\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
