import type { Db } from 'mongodb';
import type { ConnectorSystem } from '../../connectors/connector-error.js';
import type { VendorEndpoints } from '../../connectors/vendor-endpoints.js';
import { deleteCredentials, describeCredentials, type CredentialPart } from '../../store/credentials.js';
import type { TenantSettings } from '../../store/schemas/settings.js';

type Connection = TenantSettings['connection'];

/** The setting that names each connector's endpoint, for answers a person acts on. */
export const endpointSettings: Record<ConnectorSystem, string> = {
  intacct: 'connection.intacct.endpointUrl',
  bigcommerce: 'connection.storefront.apiBaseUrl',
  clarity: 'connection.storefront.baseUrl',
  stripe: 'connection.stripe.apiBaseUrl',
};

/** One place a tenant's credentials are sent: the connector, its endpoint, and the credentials that go there. */
export interface ConnectionEndpoint {
  system: ConnectorSystem;
  setting: string;
  url: string;
  credentials: Exclude<CredentialPart, 'webhook'>;
  /**
   * What the credentials are bound to: the endpoint's origin, and for BigCommerce the store
   * (one API host serves every store; the token is the store's).
   */
  binding: string;
}

/** Every endpoint a connection sends credentials to: Intacct's gateway, the storefront's API and, when set up, Stripe's. */
export function connectionEndpoints(connection: Connection): ConnectionEndpoint[] {
  const { intacct, storefront, stripe } = connection;
  const origin = (url: string) => {
    try {
      return new URL(url).origin;
    } catch {
      return url;
    }
  };
  return [
    {
      system: 'intacct',
      setting: endpointSettings.intacct,
      url: intacct.endpointUrl,
      credentials: 'intacct',
      binding: origin(intacct.endpointUrl),
    },
    storefront.kind === 'bigcommerce'
      ? {
          system: 'bigcommerce',
          setting: endpointSettings.bigcommerce,
          url: storefront.apiBaseUrl,
          credentials: 'bigcommerce',
          binding: `${origin(storefront.apiBaseUrl)}/stores/${storefront.storeHash}`,
        }
      : {
          system: 'clarity',
          setting: endpointSettings.clarity,
          url: storefront.baseUrl,
          credentials: 'clarity',
          binding: origin(storefront.baseUrl),
        },
    ...(stripe === undefined
      ? []
      : [
          {
            system: 'stripe' as const,
            setting: endpointSettings.stripe,
            url: stripe.apiBaseUrl,
            credentials: 'stripe' as const,
            binding: origin(stripe.apiBaseUrl),
          },
        ]),
  ];
}

/** The connection's endpoints the installation does not allow, as 400 details naming each setting. */
export function refusedEndpoints(rules: VendorEndpoints, connection: Connection): Array<{ path: string; message: string }> {
  return connectionEndpoints(connection).flatMap(({ system, setting, url }) => {
    const reason = rules.refusal(system, url);
    return reason === undefined ? [] : [{ path: setting, message: `${setting}: ${reason}` }];
  });
}

/**
 * The credentials a settings change must clear: those of each connection whose host (or
 * BigCommerce store) changed. Credentials entered for one host are never sent to another;
 * the tenant enters them again for the new one.
 */
export function credentialsBoundElsewhere(before: Connection | undefined, after: Connection): Array<Exclude<CredentialPart, 'webhook'>> {
  if (before === undefined) return [];
  const previous = new Map(connectionEndpoints(before).map((endpoint) => [endpoint.credentials, endpoint.binding]));
  return connectionEndpoints(after)
    .filter((endpoint) => previous.has(endpoint.credentials) && previous.get(endpoint.credentials) !== endpoint.binding)
    .map((endpoint) => endpoint.credentials);
}

/**
 * Clears the stored credentials of each connection whose host changed (see
 * {@link credentialsBoundElsewhere}) and returns the parts that were set and are now gone.
 * Called before the new settings are written, so stored credentials never meet the new host.
 */
export async function clearCredentialsBoundElsewhere(
  db: Db,
  tenantId: string,
  before: Connection | undefined,
  after: Connection,
): Promise<CredentialPart[]> {
  const moved = credentialsBoundElsewhere(before, after);
  if (moved.length === 0) return [];
  const stored = await describeCredentials(db, tenantId);
  const cleared = moved.filter((part) => stored[part].set);
  for (const part of cleared) await deleteCredentials(db, tenantId, part);
  return cleared;
}
