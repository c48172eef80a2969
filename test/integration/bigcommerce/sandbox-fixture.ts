import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createBigCommerceClient, type BigCommerceClient } from '../../../connectors/bigcommerce/index.js';
import type { StoreRequestLimiter } from '../../../connectors/bigcommerce/rate-limit.js';
import {
  startBigCommerceSandbox,
  type BigCommerceSandboxOptions,
  type RunningBigCommerceSandbox,
} from '../../../sandbox/bigcommerce/index.js';

/** The demo store's credentials (docs/architecture.md). */
export const demoCredentials = { storeHash: 'demostore', accessToken: 'demo-bc-token' };

export interface SandboxFixture {
  sandbox: RunningBigCommerceSandbox;
  client(options?: { accessToken?: string; storeHash?: string; limiter?: StoreRequestLimiter; timeoutMs?: number }): BigCommerceClient;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
}

/**
 * Starts one sandbox (control enabled, port 0) for the file and resets it before each test,
 * so tests share no state.
 */
export function useBigCommerceSandbox(options: Partial<BigCommerceSandboxOptions> = {}): SandboxFixture {
  const fixture = {} as SandboxFixture;
  beforeAll(async () => {
    fixture.sandbox = await startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true, ...options });
    fixture.client = (overrides = {}) =>
      createBigCommerceClient({
        credentials: {
          storeHash: overrides.storeHash ?? demoCredentials.storeHash,
          accessToken: overrides.accessToken ?? demoCredentials.accessToken,
        },
        baseUrl: fixture.sandbox.url,
        timeoutMs: overrides.timeoutMs ?? 5_000,
        ...(overrides.limiter && { limiter: overrides.limiter }),
      });
    fixture.control = async (method, path, body) => {
      const response = await fetch(`${fixture.sandbox.url}/_control${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`control ${method} ${path} answered ${response.status}`);
      return response.status === 204 ? undefined : await response.json();
    };
  });
  beforeEach(async () => {
    await fixture.control('POST', '/reset');
  });
  afterAll(async () => {
    await fixture.sandbox?.close();
  });
  return fixture;
}
