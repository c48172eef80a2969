import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SandboxStateFile } from '../state-file.js';
import { createStripeSandboxApp } from './app.js';
import type { SandboxState } from './context.js';
import { Faults } from './faults.js';
import { IdempotencyKeys } from './idempotency.js';
import { WebhookDeliveries, compressedRetryScheduleMs } from './webhooks.js';
import { StripeWorld, type StripeWorldSnapshot } from './world.js';

export { compressedRetryScheduleMs, realRetryScheduleMs, stripeSignature } from './webhooks.js';
export { defaultAccountSettings, type StripeAccountSettings } from './fees.js';

/** The demo account's secret key (test mode), documented with the other sandbox credentials. */
export const demoStripeSecretKey = 'sk_test_demo';

/** The default port of the Stripe sandbox (docs/sandboxes.md). */
export const stripeSandboxDefaultPort = 4004;

export interface StripeSandboxOptions {
  /** 4004 by default in the local stack; 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Mounts the unauthenticated `/_sandbox` control API: never on a shared network. */
  controlEnabled: boolean;
  logger?: Logger;
  /** Secret keys accepted; `sk_test_demo` by default. */
  apiKeys?: readonly string[];
  /** Webhook retry delays, first attempt included; Stripe's schedule compressed 1000× by default. */
  webhookRetryScheduleMs?: number[];
  /** A JSON file the account is kept in across restarts (`npm start`); absent, every start is empty. */
  stateFile?: string;
}

export interface RunningStripeSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the Stripe sandbox: one test-mode account (`sk_test_demo`) speaking Stripe's API for
 * PaymentIntents, Charges, Refunds, Disputes, the balance, balance transactions, payouts, events
 * and webhook endpoints, delivering signed events, with the `/_sandbox` controls when enabled.
 */
export async function startStripeSandbox(options: StripeSandboxOptions): Promise<RunningStripeSandbox> {
  const schedule = options.webhookRetryScheduleMs ?? compressedRetryScheduleMs;
  const build = (saved?: StripeWorldSnapshot): SandboxState => {
    const world = new StripeWorld();
    if (saved !== undefined) world.restore(saved);
    const webhooks = new WebhookDeliveries(
      () => world.records.webhookEndpoints,
      schedule,
      () => world.now(),
      options.logger,
    );
    world.onEvent((event) => webhooks.publish(event));
    return { world, webhooks, faults: new Faults(), keys: new IdempotencyKeys() };
  };
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : new SandboxStateFile<StripeWorldSnapshot>(options.stateFile, () => state.world.toSnapshot());
  let state = build(stateFile?.load() as StripeWorldSnapshot | undefined);
  const app = createStripeSandboxApp({
    state: () => state,
    reset: () => {
      state.webhooks.stop();
      state.faults.clear();
      state = build();
    },
    apiKeys: options.apiKeys ?? [demoStripeSecretKey],
    controlEnabled: options.controlEnabled,
    logger: options.logger,
    stateFile,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const candidate = app.listen(options.port, options.host ?? '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(candidate),
    );
    candidate.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === undefined || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  options.logger?.info({ port, controlEnabled: options.controlEnabled }, 'stripe sandbox listening');
  return {
    url: `http://${host}:${port}`,
    port,
    close: async () => {
      state.webhooks.stop();
      state.faults.clear();
      stateFile?.flush();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
