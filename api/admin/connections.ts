import { randomBytes } from 'node:crypto';
import type { BigCommerceClient } from '../../connectors/bigcommerce/index.js';
import { bigCommerceWebhookScopes } from '../../connectors/bigcommerce/schemas/hooks.js';
import { ClarityError, clarityEventTypes, type ClarityClient } from '../../connectors/clarity/index.js';
import { loadCredentials, saveCredentials, type CredentialPart, type Credentials } from '../../store/credentials.js';
import { findMissingAccounts } from '../../connectors/intacct/index.js';
import { closeAccountsToCheck, type TenantSettings } from '../../store/schemas/settings.js';
import { writesClarityProducts } from '../../mappers/catalog-field-directions.js';
import { isConnectorError } from '../../connectors/connector-error.js';
import { VendorEndpointRefusedError } from '../../connectors/vendor-endpoints.js';
import { HttpError } from '../errors.js';
import { bigCommerceSecretHeader } from '../webhooks/bigcommerce.js';
import { endpointSettings } from './connection-endpoints.js';
import type { AdminDependencies } from './context.js';

/** What the connection calls need: the store, for settings and credentials, and the process's client factory. */
export type ConnectionDependencies = Pick<AdminDependencies, 'db' | 'cipher' | 'connectors'>;

/**
 * The outcome of a connection test: never a 5xx for the vendor's refusal, never a secret, and
 * on failure only what the connector parsed from the vendor's answer (its code and message).
 */
export type ConnectionTestResult =
  | { ok: true; system: string; details: Record<string, unknown> }
  | { ok: false; system: string; failure: 'auth' | 'input' | 'retryable' | 'unexpected'; message: string; vendorCode?: string };

/** The tenant's stored credentials for one system; 409 naming the call that stores them when there are none. */
export async function requireCredentials<P extends Exclude<CredentialPart, 'webhook'>>(
  deps: ConnectionDependencies,
  tenantId: string,
  part: P,
): Promise<Credentials<P>> {
  const credentials = await loadCredentials(deps.db, deps.cipher, tenantId, part);
  if (credentials === undefined)
    throw new HttpError(
      409,
      'credentials_missing',
      `store the ${part} credentials first (PUT /api/v1/tenants/${tenantId}/credentials/${part})`,
    );
  return credentials;
}

/**
 * A connector's refusal, by class, with its message and the vendor's code. Connector messages
 * hold what the connector parsed from the vendor's answer, never credentials nor a raw body.
 * An endpoint the installation refuses is the caller's to fix: 409 naming the setting.
 */
function failureOf(system: string, error: unknown): ConnectionTestResult {
  if (error instanceof VendorEndpointRefusedError)
    throw new HttpError(409, 'endpoint_not_allowed', `${endpointSettings[error.system]}: ${error.message}`);
  if (!isConnectorError(error)) return { ok: false, system, failure: 'unexpected', message: 'the connection failed unexpectedly' };
  return {
    ok: false,
    system,
    failure: error.kind,
    message: error.message,
    ...(error.vendorCode !== undefined && { vendorCode: error.vendorCode }),
  };
}

export async function testIntacctConnection(
  deps: ConnectionDependencies,
  tenantId: string,
  settings: TenantSettings,
): Promise<ConnectionTestResult> {
  const { companyId, entityId } = settings.connection.intacct;
  const credentials = await requireCredentials(deps, tenantId, 'intacct');
  try {
    const client = deps.connectors.intacct(tenantId, settings.connection.intacct, credentials, { signInAfresh: true });
    const { endpoint } = await client.verifySignIn();
    const accounts = closeAccountsToCheck(settings.close);
    const checked = accounts.glAccounts.length + accounts.bankAccounts.length;
    if (checked > 0) {
      // The close settings' accounts must exist before a payout posts to them.
      const missing = await findMissingAccounts(client, accounts);
      const named = [
        ...missing.glAccounts.map((account) => `GL account ${account}`),
        ...missing.bankAccounts.map((account) => `bank account ${account}`),
      ];
      if (named.length > 0)
        return {
          ok: false,
          system: 'intacct',
          failure: 'input',
          message: `close settings name accounts Intacct does not have (or has inactive): ${named.join(', ')}`,
        };
    }
    return {
      ok: true,
      system: 'intacct',
      details: {
        companyId,
        ...(entityId !== undefined && { entityId }),
        sessionEndpoint: endpoint,
        ...(checked > 0 && { closeAccountsChecked: checked }),
      },
    };
  } catch (error) {
    return failureOf('intacct', error);
  }
}

function bigCommerceClient(
  deps: ConnectionDependencies,
  tenantId: string,
  settings: TenantSettings,
  credentials: Credentials<'bigcommerce'>,
): BigCommerceClient {
  const storefront = settings.connection.storefront;
  if (storefront.kind !== 'bigcommerce') throw new HttpError(409, 'wrong_storefront', 'this tenant is not a BigCommerce tenant');
  return deps.connectors.bigCommerce(tenantId, storefront, credentials);
}

function clarityClient(deps: ConnectionDependencies, settings: TenantSettings, credentials: Credentials<'clarity'>): ClarityClient {
  const storefront = settings.connection.storefront;
  if (storefront.kind !== 'clarity') throw new HttpError(409, 'wrong_storefront', 'this tenant is not a Clarity tenant');
  return deps.connectors.clarity(storefront, credentials, { writesProducts: writesClarityProducts(settings.catalog.items) });
}

export async function testStorefrontConnection(
  deps: ConnectionDependencies,
  tenantId: string,
  settings: TenantSettings,
): Promise<ConnectionTestResult> {
  const kind = settings.connection.storefront.kind;
  try {
    if (kind === 'bigcommerce') {
      const client = bigCommerceClient(deps, tenantId, settings, await requireCredentials(deps, tenantId, 'bigcommerce'));
      const hooks = await client.hooks.listHooks();
      return { ok: true, system: kind, details: { webhooksRegistered: hooks.length, quotaLeft: client.rateLimit().left } };
    }
    const client = clarityClient(deps, settings, await requireCredentials(deps, tenantId, 'clarity'));
    const subscriptions = await client.listWebhooks();
    return { ok: true, system: kind, details: { webhooksRegistered: subscriptions.length } };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    return failureOf(kind, error);
  }
}

/**
 * Reads the tenant's Stripe balance (`GET /v1/balance`) with the stored secret key: proof the key
 * works, at the allowed endpoint, without touching any object. Stripe's refusal comes back as its
 * parsed message (an unknown key, a restricted key without the balance permission).
 */
export async function testStripeConnection(
  deps: ConnectionDependencies,
  tenantId: string,
  settings: TenantSettings,
): Promise<ConnectionTestResult> {
  const account = settings.connection.stripe;
  if (account === undefined)
    throw new HttpError(409, 'stripe_not_connected', 'this tenant has no Stripe account in its settings (connection.stripe)');
  const credentials = await requireCredentials(deps, tenantId, 'stripe');
  try {
    const balance = await deps.connectors.stripe(account, credentials).retrieveBalance();
    const currencies = [...new Set([...balance.available, ...balance.pending].map((entry) => entry.currency.toUpperCase()))].sort();
    return { ok: true, system: 'stripe', details: { ...(balance.livemode !== undefined && { livemode: balance.livemode }), currencies } };
  } catch (error) {
    return failureOf('stripe', error);
  }
}

export interface WebhookRegistration {
  destination: string;
  subscriptions: number;
  /** How many secrets the receiver accepts now (2 while a rotation settles). */
  activeSecrets: number;
}

/**
 * Registers (or repairs) the tenant's webhooks so that they point at this deployment and
 * carry a secret the receiver knows. Idempotent: existing subscriptions for the destination
 * are updated, not duplicated. With `rotate`, a new secret is issued and the previous one
 * stays accepted until the next rotation, so callbacks already in flight still pass. A Clarity
 * subscription that Clarity disabled (410, or its retries ran out) cannot be enabled again, so it
 * is replaced: the new one is created and its secret saved before the disabled one is deleted,
 * so a failure midway leaves something to retry from and never a tenant worse off than before.
 */
export async function registerWebhooks(
  deps: ConnectionDependencies,
  tenantId: string,
  settings: TenantSettings,
  options: { publicBaseUrl: string; rotate: boolean },
): Promise<WebhookRegistration> {
  const kind = settings.connection.storefront.kind;
  const destination = `${options.publicBaseUrl.replace(/\/+$/, '')}/webhooks/${kind}/${tenantId}`;
  const stored = (await loadCredentials(deps.db, deps.cipher, tenantId, 'webhook'))?.secrets ?? [];
  const keep = (secret: string) => [
    ...stored.filter((entry) => entry.secret !== secret).slice(-1),
    { secret, createdAt: new Date().toISOString() },
  ];
  try {
    if (kind === 'bigcommerce') {
      const client = bigCommerceClient(deps, tenantId, settings, await requireCredentials(deps, tenantId, 'bigcommerce'));
      const current = stored.at(-1)?.secret;
      const secret = options.rotate || current === undefined ? randomBytes(24).toString('base64url') : current;
      const secrets = secret === current ? stored : keep(secret);
      // Save first: a callback carrying the new header must already be accepted.
      await saveCredentials(deps.db, deps.cipher, tenantId, 'webhook', { secrets });
      const existing = (await client.hooks.listHooks()).filter((hook) => hook.destination === destination);
      for (const scope of bigCommerceWebhookScopes) {
        const input = { scope, destination, is_active: true, headers: { [bigCommerceSecretHeader]: secret } };
        const hook = existing.find((candidate) => candidate.scope === scope);
        if (hook) await client.hooks.updateHook(hook.id, input);
        else await client.hooks.createHook(input);
      }
      return { destination, subscriptions: bigCommerceWebhookScopes.length, activeSecrets: secrets.length };
    }

    const client = clarityClient(deps, settings, await requireCredentials(deps, tenantId, 'clarity'));
    const atDestination = (await client.listWebhooks()).filter((subscription) => subscription.url === destination);
    const disabled = atDestination.filter((subscription) => !subscription.active).map((subscription) => subscription.id);
    const existing = atDestination.find((subscription) => subscription.active);
    let secret: string | undefined;
    if (!existing) {
      // Clarity replays a key's first answer: under the original key, the replacement would be the disabled subscription again.
      const idempotencyKey =
        disabled.length === 0
          ? `register-webhook:${tenantId}:${destination}`
          : `replace-webhook:${tenantId}:${disabled.toSorted().join(',')}`;
      secret = (
        await client.createWebhook(
          { url: destination, events: [...clarityEventTypes], description: `intacct-storefront-sync ${tenantId}` },
          { idempotencyKey },
        )
      ).secret;
    } else if (options.rotate || stored.length === 0 || disabled.length > 0) {
      // An active subscription beside a disabled one is a replacement cut short, maybe before its
      // secret was saved; its secret cannot be read back, only rotated into one the receiver knows.
      secret = (
        await client.rotateWebhookSecret(existing.id, { idempotencyKey: `rotate-webhook:${tenantId}:${randomBytes(8).toString('hex')}` })
      ).secret;
    }
    const secrets = secret === undefined ? stored : keep(secret);
    if (secret !== undefined) await saveCredentials(deps.db, deps.cipher, tenantId, 'webhook', { secrets });
    for (const id of disabled) await deleteClarityWebhook(client, id);
    return { destination, subscriptions: 1, activeSecrets: secrets.length };
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const result = failureOf(kind, error);
    throw new HttpError(
      502,
      'storefront_refused',
      result.ok ? 'unexpected' : `${kind} refused the webhook registration (${result.failure}): ${result.message}`,
      result.ok || result.vendorCode === undefined ? undefined : { vendorCode: result.vendorCode },
    );
  }
}

/** Deleting is the last step of a replacement: a subscription someone deleted meanwhile is as good as deleted here. */
async function deleteClarityWebhook(client: ClarityClient, webhookId: string): Promise<void> {
  try {
    await client.deleteWebhook(webhookId);
  } catch (error) {
    if (error instanceof ClarityError && error.status === 404) return;
    throw error;
  }
}
