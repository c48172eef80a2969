import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import { z } from 'zod';
import type { Logger } from '../../config/logger.js';
import type { AlertChannels } from '../../connectors/alert-channels/channels.js';
import type { ConnectorClients } from '../../connectors/clients.js';
import type { CredentialCipher } from '../../store/credential-cipher.js';
import type { GuestMappingKeys } from '../../store/guest-mapping-keys.js';
import { appendAudit } from '../../store/audit-log.js';
import { findTenant, tenantIdSchema, type Tenant } from '../../store/tenants.js';
import type { AuthFailureLimits } from './auth-failure-limiter.js';
import type { PayoutImportedHandler } from './payout-imported.js';
import { assertTenantVisible, type Principal } from './auth.js';
import { notFoundError } from './documented-router.js';

export interface AdminDependencies {
  db: Db;
  cipher: CredentialCipher;
  /**
   * The process's connector-client factory, for connection tests and webhook registration; its
   * endpoint rules are also the ones settings are checked against when written.
   */
  connectors: ConnectorClients;
  bootstrapApiKey: string | undefined;
  /**
   * Temporal, for the calls that start workflows or write schedules (backfill, sweep now, the
   * sweep schedule kept in step with settings). Optional: without it those calls answer 503
   * and settings are still written.
   */
  temporal?: { client: Client; taskQueue: string };
  /** How a guest's email is keyed in the customers mapping table (api/main.ts passes the configured keys); the sandbox's when absent. */
  guestMappingKeys?: GuestMappingKeys;
  /** Wrong keys one client may present per window before it is answered 429 (default 10 a minute). */
  authFailureLimits?: AuthFailureLimits;
  /** For what the admin API does on the side and must not fail a request for (a schedule update when Temporal is down). */
  logger?: Logger;
  /**
   * Alerts to a person: the channels a test alert is sent through (their webhook rules are also
   * what settings are checked against) and the base of the links alerts carry. Optional: without
   * it a test alert answers 503 and alert webhook URLs are not checked.
   */
  alerts?: { channels: AlertChannels; publicBaseUrl: string };
  /** What follows a payout import; by default `onPayoutImported` in payout-imported.ts (tests pass their own). */
  onPayoutImported?: PayoutImportedHandler;
}

export const tenantParams = z.object({ tenantId: tenantIdSchema });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(64).optional(),
};

/** The tenant named in the path, if this key may see it; otherwise 404 either way. */
export async function visibleTenant(db: Db, principal: Principal, tenantId: string): Promise<Tenant> {
  assertTenantVisible(principal, tenantId);
  const tenant = await findTenant(db, tenantId);
  if (!tenant) throw notFoundError(`tenant ${tenantId}`);
  return tenant;
}

/** Records a write; `details` must never hold secret values. */
export async function audit(
  db: Db,
  context: { principal: Principal; requestId: string | undefined },
  entry: { tenantId: string | null; action: string; target: string; details?: Record<string, unknown> },
): Promise<void> {
  await appendAudit(db, { actor: context.principal.keyId, requestId: context.requestId, ...entry });
}
