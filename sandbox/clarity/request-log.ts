import type { RequestHandler } from 'express';

/** One request as the control API reports it (no bodies or credentials). */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number | undefined;
  idempotencyKey: string | undefined;
  requestId: string;
  fault: string | undefined;
  durationMs: number;
}

/** Remembers the last requests to the token endpoint and the API, for tests and debugging. */
export class RequestLog {
  private entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 5_000) {}

  list(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }

  middleware(): RequestHandler {
    return (request, response, next) => {
      const startedAt = Date.now();
      let logged = false;
      const record = () => {
        if (logged) return;
        logged = true;
        this.entries.push({
          at: new Date(startedAt).toISOString(),
          method: request.method,
          path: request.originalUrl.split('?')[0] ?? request.path,
          query: { ...(request.query as Record<string, unknown>) },
          status: response.writableFinished ? response.statusCode : undefined,
          idempotencyKey: request.get('idempotency-key'),
          requestId: String(response.locals.requestId),
          fault: response.locals.fault as string | undefined,
          durationMs: Date.now() - startedAt,
        });
        if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
      };
      response.on('finish', record);
      response.on('close', record);
      next();
    };
  }
}
