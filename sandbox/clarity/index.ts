import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createClaritySandboxApp } from './app.js';
import type { SandboxState } from './context.js';
import { Faults } from './faults.js';
import { IdempotencyKeys } from './idempotency.js';
import { OAuthServer, demoClients } from './oauth.js';
import { RequestLog } from './request-log.js';
import { seedStore } from './seed.js';
import type { ClarityStoreSnapshot } from './records.js';
import { SandboxStateFile } from '../state-file.js';
import { ClarityStore } from './store.js';
import { WebhookDeliveries, compressedRetryScheduleMs, type Subscription } from './webhook-delivery.js';

export { seedSkus } from './seed.js';
export { demoClients } from './oauth.js';
export { compressedRetryScheduleMs, realRetryScheduleMs } from './webhook-delivery.js';

export interface ClaritySandboxOptions {
  /** 4003 by default in the local stack; 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** Mounts the unauthenticated `/_sandbox` control API: never on a shared network. */
  controlEnabled: boolean;
  logger?: Logger;
  /** Webhook retry delays, first attempt included; the real schedule compressed 1000× by default. */
  webhookRetryScheduleMs?: number[];
  /**
   * A JSON file the store and its webhook subscriptions are kept in across restarts (`npm
   * start`); absent (the default, and in tests), every start is the seed.
   */
  stateFile?: string;
}

/** What the Clarity sandbox's state file holds. */
interface ClarityStateSnapshot {
  store: ClarityStoreSnapshot;
  subscriptions: Subscription[];
}

export interface RunningClaritySandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The default port of the Clarity sandbox (docs/architecture.md). */
export const claritySandboxDefaultPort = 4003;

const contractPath = new URL('../../connectors/clarity/contract/clarity-openapi.yaml', import.meta.url);

/**
 * Starts the Clarity eCommerce sandbox: the whole proposed contract in memory over a seeded
 * store, OAuth client credentials (`demo-clarity-client` / `demo-clarity-secret`), signed
 * webhook delivery with retries, and, when enabled, the control API for faults, the request
 * log, storefront activity and reset.
 */
export async function startClaritySandbox(options: ClaritySandboxOptions): Promise<RunningClaritySandbox> {
  const now = () => Date.now();
  const schedule = options.webhookRetryScheduleMs ?? compressedRetryScheduleMs;
  const build = (saved?: ClarityStateSnapshot): SandboxState => {
    const store = new ClarityStore(now);
    seedStore(store);
    const webhooks = new WebhookDeliveries(schedule, now, options.logger);
    if (saved !== undefined) {
      store.restore(saved.store);
      for (const subscription of saved.subscriptions) webhooks.subscriptions.set(subscription.id, subscription);
    }
    store.announceWith((type, data) => {
      webhooks.publish(type, data);
    });
    return {
      store,
      oauth: new OAuthServer(demoClients, now),
      keys: new IdempotencyKeys(now),
      webhooks,
      faults: new Faults(),
      log: new RequestLog(),
    };
  };
  const stateFile =
    options.stateFile === undefined
      ? undefined
      : new SandboxStateFile<ClarityStateSnapshot>(options.stateFile, () => ({
          store: state.store.toSnapshot(),
          subscriptions: [...state.webhooks.subscriptions.values()],
        }));
  let state = build(stateFile?.load() as ClarityStateSnapshot | undefined);
  const contractYaml = await readFile(contractPath, 'utf8').catch(() => undefined);
  const app = createClaritySandboxApp({
    state: () => state,
    reset: () => {
      state.webhooks.stop();
      state.faults.clear();
      state = build();
    },
    controlEnabled: options.controlEnabled,
    logger: options.logger,
    contractYaml,
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
  options.logger?.info({ port, controlEnabled: options.controlEnabled }, 'clarity sandbox listening');
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
