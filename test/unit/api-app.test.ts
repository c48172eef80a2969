import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { listen, type RunningServer } from '../../api/server.js';
import type { ReadinessCheck } from '../../api/routes/health.js';

const up: ReadinessCheck = () => Promise.resolve(true);
const down: ReadinessCheck = () => Promise.resolve(false);

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(readinessChecks: Record<string, ReadinessCheck>) {
  server = await listen(createApp({ logger: pino({ level: 'silent' }), readinessChecks, readinessTimeoutMs: 200 }), 0, '127.0.0.1');
  return server;
}

describe('API app', () => {
  it('when /healthz is asked then it answers 200 even with every dependency down', async () => {
    const { url } = await start({ temporal: down, mongodb: down });
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['both up', { temporal: up, mongodb: up }, 200, { status: 'ready', dependencies: { temporal: 'up', mongodb: 'up' } }],
    ['Temporal down', { temporal: down, mongodb: up }, 503, { status: 'not_ready', dependencies: { temporal: 'down', mongodb: 'up' } }],
    [
      'a check that throws',
      { temporal: up, mongodb: () => Promise.reject(new Error('boom')) },
      503,
      { status: 'not_ready', dependencies: { temporal: 'up', mongodb: 'down' } },
    ],
    [
      'a check that hangs past the timeout',
      { temporal: () => new Promise<boolean>(() => undefined), mongodb: up },
      503,
      { status: 'not_ready', dependencies: { temporal: 'down', mongodb: 'up' } },
    ],
  ] as const)('when %s then /readyz answers %#', async (_name, checks, status, body) => {
    const { url } = await start(checks);
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
  });

  it('when the caller sends a well-formed X-Request-Id then it is echoed; otherwise a new one is made', async () => {
    const { url } = await start({});
    expect((await fetch(`${url}/healthz`, { headers: { 'X-Request-Id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const generated = (await fetch(`${url}/healthz`, { headers: { 'X-Request-Id': 'bad id with spaces <script>' } })).headers.get(
      'x-request-id',
    );
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a route does not exist then it answers 404 as JSON with a code and the request id', async () => {
    const { url } = await start({});
    const response = await fetch(`${url}/nope`, { headers: { 'X-Request-Id': 'req-1' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /nope', requestId: 'req-1' } });
  });
});
