import type { ConnectorSystem } from '../../connectors/connector-error.js';
import { VendorEndpoints } from '../../connectors/vendor-endpoints.js';

/**
 * Sandbox mode's rules for sandboxes at these addresses: each connector may use its sandbox's
 * origin (as `localhost` or `127.0.0.1`) and nothing else; a connector not named may use
 * nothing. What `npm start` applies, for sandboxes a test started on ports of its own.
 */
export function sandboxEndpoints(urls: Partial<Record<ConnectorSystem, string | readonly string[]>>): VendorEndpoints {
  const origins = (named: string | readonly string[] | undefined): string[] =>
    [named ?? []].flat().flatMap((url) => {
      const { protocol, port } = new URL(url);
      return [`${protocol}//localhost:${port}`, `${protocol}//127.0.0.1:${port}`];
    });
  return new VendorEndpoints({
    allowed: {
      intacct: origins(urls.intacct),
      bigcommerce: origins(urls.bigcommerce),
      clarity: origins(urls.clarity),
      stripe: origins(urls.stripe),
    },
    refusePrivateAddresses: false,
  });
}

/**
 * The environment that gives a product process (API or worker) sandbox mode's rules for
 * sandboxes a test started on ports of its own: the process allows their addresses only.
 */
export function sandboxPortsEnvironment(
  urls: Record<Exclude<ConnectorSystem, 'stripe'>, string> & { stripe?: string },
): Record<string, string> {
  const port = (url: string) => new URL(url).port;
  return {
    INTACCT_SANDBOX_PORT: port(urls.intacct),
    BIGCOMMERCE_SANDBOX_PORT: port(urls.bigcommerce),
    CLARITY_SANDBOX_PORT: port(urls.clarity),
    ...(urls.stripe !== undefined && { STRIPE_SANDBOX_PORT: port(urls.stripe) }),
  };
}
