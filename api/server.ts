import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** How long `close` lets in-flight requests finish before it cuts the connections left. */
const closeGraceMs = 5_000;

/** Listens on `port` (0 picks a free one) and resolves once the socket is bound. */
export async function listen(app: Express, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  const server: Server = await new Promise((resolve, reject) => {
    const candidate = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(candidate)));
    candidate.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // A client holding a kept-alive connection busy (a browser page still open) would hold
        // the close forever: in-flight requests get this long to finish, then connections are cut.
        setTimeout(() => server.closeAllConnections(), closeGraceMs).unref();
      }),
  };
}
