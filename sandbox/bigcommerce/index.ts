import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createSandboxApp, demoAccount } from './app.js';
import type { RateLimitSettings } from './rate-limit.js';
import type { StripeGatewaySettings } from './stripe-gateway.js';
import { compressedRetryScheduleMs } from './webhook-delivery.js';

export { demoAccount } from './app.js';
export { compressedRetryScheduleMs, realRetryScheduleMs } from './webhook-delivery.js';
export type { FaultSettings } from './faults.js';
export type { StripeGatewaySettings } from './stripe-gateway.js';

export interface BigCommerceSandboxOptions {
  /** 4002 by default in the local stack; 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Mounts `/_control` (reset, faults, rate-limit window, request and webhook logs). */
  controlEnabled: boolean;
  logger?: Logger;
  /** Delays between webhook retries; the real schedule compressed a thousandfold by default. */
  webhookRetryScheduleMs?: number[];
  /** How long a webhook receiver may take to answer. Default 5 s. */
  webhookTimeoutMs?: number;
  /** The store's quota. Default 150 requests per 30 s (Standard plan). */
  rateLimit?: RateLimitSettings;
  /** A JSON file the store is kept in across restarts (`npm start`); absent (the default, and in tests), every start is the seed. */
  stateFile?: string;
  /**
   * Pay checkouts through a Stripe account (the Stripe sandbox): the order's transactions then
   * name `gateway: 'stripe'` and Stripe's ids. Absent (the default), the built-in test gateway.
   * Also set at run time with `PUT /_control/stripe-gateway`.
   */
  stripeGateway?: StripeGatewaySettings;
}

export interface RunningBigCommerceSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the BigCommerce sandbox: the demo store (`demostore`, token `demo-bc-token`) under
 * `/stores/{store_hash}/v2|v3`, seeded, delivering webhooks to registered hooks.
 */
export async function startBigCommerceSandbox(options: BigCommerceSandboxOptions): Promise<RunningBigCommerceSandbox> {
  const sandbox = createSandboxApp({
    controlEnabled: options.controlEnabled,
    logger: options.logger,
    rateLimit: options.rateLimit ?? { requestsPerWindow: 150, windowMs: 30_000 },
    webhookRetryScheduleMs: options.webhookRetryScheduleMs ?? compressedRetryScheduleMs,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 5_000,
    stateFile: options.stateFile,
    stripeGateway: options.stripeGateway,
  });
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const candidate = sandbox.app.listen(options.port, host, (error?: Error) => (error ? reject(error) : resolve(candidate)));
    candidate.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  options.logger?.info({ port, storeHash: demoAccount.storeHash }, 'BigCommerce sandbox listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sandbox.close();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
