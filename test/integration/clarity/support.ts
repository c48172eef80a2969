import { expect } from 'vitest';
import { ClarityClient } from '../../../connectors/clarity/index.js';

export const demoCredentials = { clientId: 'demo-clarity-client', clientSecret: 'demo-clarity-secret' };

/** A client for the demo tenant against a running sandbox. */
export function demoClient(baseUrl: string, overrides: Partial<ConstructorParameters<typeof ClarityClient>[0]> = {}): ClarityClient {
  return new ClarityClient({ baseUrl, credentials: demoCredentials, ...overrides });
}

/** Calls the sandbox's control API and returns the parsed JSON (or undefined for 204). */
export async function control<T = unknown>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/_sandbox${path}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} /_sandbox${path}: ${response.status}`).toBeLessThan(300);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The sandbox's request log. */
export async function requestLog(
  baseUrl: string,
): Promise<{ method: string; path: string; status: number | undefined; idempotencyKey: string | undefined; fault: string | undefined }[]> {
  return (await control<{ data: [] }>(baseUrl, 'GET', '/requests')).data;
}
