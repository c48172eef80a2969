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
    allowed: { intacct: origins(urls.intacct), bigcommerce: origins(urls.bigcommerce), clarity: origins(urls.clarity) },
    refusePrivateAddresses: false,
  });
}
