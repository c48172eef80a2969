import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { Logger } from '../config/logger.js';
import type { ConnectorClients } from '../connectors/clients.js';
import type { CredentialCipher } from '../store/credential-cipher.js';
import type { ConsoleOptions } from '../console/index.js';
import type { AuthFailureLimits } from './admin/auth-failure-limiter.js';
import type { AdminDependencies } from './admin/index.js';
import { createApp, type AppDependencies } from './app.js';
import { deadLetteringDispatcher } from './webhooks/dead-lettering-dispatcher.js';
import {
  batchedWebhookDeliveries,
  storedOwnInventoryWrites,
  storedOwnProductCreations,
  storedProcessorEvents,
  storedStripeSigningSecrets,
  storedWebhookDeadLetters,
  storedWebhookDeliveries,
  storedWebhookSecrets,
  storedWebhookSigningSecrets,
} from './webhooks/store-adapters.js';
import { temporalDispatcher } from './webhooks/temporal-dispatcher.js';
import { payoutEventDispatcher } from './webhooks/payout-dispatcher.js';
import type { WebhookIntake, WorkflowDispatcher } from './webhooks/ports.js';

export interface ProductAppDependencies {
  logger: Logger;
  /** Proxies whose X-Forwarded-For names the client (API_TRUSTED_PROXIES). */
  trustedProxies?: readonly string[];
  db: Db;
  cipher: CredentialCipher;
  connectors: ConnectorClients;
  temporal: { client: Client; taskQueue: string };
  bootstrapApiKey?: string | undefined;
  authFailureLimits?: AuthFailureLimits;
  readinessChecks?: AppDependencies['readinessChecks'];
  /** The API's series and who may read them (`api/main.ts` builds them from METRICS_TOKEN). */
  metrics?: AppDependencies['metrics'];
  /** The codec server for Temporal UI (`api/main.ts` builds it from the payload keys). */
  codec?: AppDependencies['codec'];
  /** The process's tracer when tracing is on: each request is a span, the root of what it starts. */
  tracer?: AppDependencies['tracer'];
  alerts?: AdminDependencies['alerts'];
  /** How guests' emails are keyed in the customers mapping table (`api/main.ts` builds it from GUEST_MAPPING_HMAC_KEYS). */
  guestMappingKeys?: AdminDependencies['guestMappingKeys'];
  /** The console's options (cookies, sessions, Temporal UI link); absent: `Secure` cookies, default limits, no Temporal UI links. */
  console?: ConsoleOptions;
  /**
   * The deferred intake over {@link productWebhookDispatcher} (`api/main.ts` runs one): storefront
   * webhooks are acknowledged once recorded and dispatched after the answer. Absent: the answer
   * waits for the dispatch.
   */
  webhookIntake?: WebhookIntake;
  /** BENCH_ACK_FLOOR: serve the benchmark's unauthenticated acknowledgement floor over `temporal`. Default off. */
  benchAckFloor?: boolean;
}

/**
 * How the product hands storefront events to Temporal: signal-with-start of the event's workflow,
 * keeping those Temporal refuses as invalid as dead letters.
 */
export function productWebhookDispatcher(deps: Pick<ProductAppDependencies, 'db' | 'temporal' | 'logger'>): WorkflowDispatcher {
  return deadLetteringDispatcher(
    temporalDispatcher(deps.temporal.client, deps.temporal.taskQueue),
    storedWebhookDeadLetters(deps.db),
    deps.logger,
  );
}

/**
 * The API as the product runs it: webhook receivers that verify against the tenants' stored
 * secrets, record deliveries in MongoDB and hand events to OrderToCash through Temporal (keeping
 * those Temporal refuses as invalid as dead letters), the Stripe receiver that records payout and
 * dispute events for PayoutReconcile, and the admin API. `api/main.ts` and the end-to-end tests
 * build it the same way. The operator console is served under /console.
 */
export function createProductApp(deps: ProductAppDependencies) {
  return createApp({
    logger: deps.logger,
    ...(deps.trustedProxies && { trustedProxies: deps.trustedProxies }),
    readinessChecks: deps.readinessChecks ?? {},
    ...(deps.metrics && { metrics: deps.metrics }),
    ...(deps.codec && { codec: deps.codec }),
    ...(deps.tracer && { tracer: deps.tracer }),
    ...(deps.benchAckFloor === true && { benchAckFloor: deps.temporal }),
    admin: {
      db: deps.db,
      cipher: deps.cipher,
      connectors: deps.connectors,
      bootstrapApiKey: deps.bootstrapApiKey,
      temporal: deps.temporal,
      ...(deps.authFailureLimits && { authFailureLimits: deps.authFailureLimits }),
      ...(deps.alerts && { alerts: deps.alerts }),
      ...(deps.guestMappingKeys && { guestMappingKeys: deps.guestMappingKeys }),
    },
    console: deps.console ?? { secureCookies: true },
    webhooks: {
      secrets: storedWebhookSecrets(deps.db, deps.cipher),
      signingSecrets: storedWebhookSigningSecrets(deps.db, deps.cipher),
      // With the deferred intake the record is the whole hot path: written by group commit.
      deliveries: deps.webhookIntake ? batchedWebhookDeliveries(deps.db) : storedWebhookDeliveries(deps.db),
      dispatcher: productWebhookDispatcher(deps),
      ...(deps.webhookIntake && { intake: deps.webhookIntake }),
      ownInventoryWrites: storedOwnInventoryWrites(deps.db),
      ownProductCreations: storedOwnProductCreations(deps.db),
      stripe: {
        secrets: storedStripeSigningSecrets(deps.db, deps.cipher),
        events: storedProcessorEvents(deps.db),
        payouts: payoutEventDispatcher(deps.db, deps.temporal),
      },
    },
  });
}
