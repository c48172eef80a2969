import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { endpointMatches, isPublicAddress, parseEndpointPattern, type AddressResolver, type EndpointPattern } from '../vendor-endpoints.js';

/**
 * Where alert webhooks may be sent: the same discipline as the vendor endpoints (issue 15), so a
 * tenant's settings cannot steer the installation's requests at its own network. Production:
 * https only, the host on the operator's list when there is one, and every address the host
 * resolves to public (checked in the socket's own DNS lookup, so no rebinding in between).
 */
export interface AlertWebhookRules {
  /** `https://host[:port]` entries (`*.domain` allowed); undefined: any host that passes the other checks. */
  allowed: readonly string[] | undefined;
  requireHttps: boolean;
  refusePrivateAddresses: boolean;
}

/** An alert webhook URL the installation will not call. */
export class AlertWebhookRefusedError extends Error {
  override readonly name = 'AlertWebhookRefusedError';
}

export class AlertWebhookEndpoints {
  private readonly patterns: EndpointPattern[] | undefined;
  private readonly resolve: AddressResolver;
  private lookup: LookupFunction | undefined;

  constructor(
    readonly rules: AlertWebhookRules,
    options: { resolve?: AddressResolver } = {},
  ) {
    this.patterns = rules.allowed?.map(parseEndpointPattern);
    this.resolve = options.resolve ?? ((hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true }));
  }

  /** Why alerts may not be sent to `url`, or undefined when they may. */
  refusal(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'it is not a URL';
    }
    if (parsed.protocol !== 'https:' && (this.rules.requireHttps || parsed.protocol !== 'http:')) return 'alert webhooks must be https';
    if (parsed.username !== '' || parsed.password !== '') return 'put no user or password in the URL';
    if (this.patterns !== undefined && !endpointMatches(this.patterns, parsed))
      return `${parsed.protocol}//${parsed.host} is not one of the alert webhook hosts this installation allows: ${this.rules.allowed!.join(', ') || 'none'}`;
    const bare = parsed.hostname.replace(/^\[|\]$/g, '');
    if (this.rules.refusePrivateAddresses && (ipaddr.isValid(bare) ? !isPublicAddress(bare) : bare === 'localhost'))
      return `${parsed.hostname} is not a public address`;
    return undefined;
  }

  /** Throws {@link AlertWebhookRefusedError} unless alerts may be sent to `url`. */
  check(url: string): void {
    const reason = this.refusal(url);
    if (reason !== undefined) throw new AlertWebhookRefusedError(`alert webhook refused: ${reason}`);
  }

  /** The DNS lookup the HTTP client must use: refuses a host resolving to any non-public address. Undefined when not checked. */
  dnsLookup(): LookupFunction | undefined {
    if (!this.rules.refusePrivateAddresses) return undefined;
    this.lookup ??= (hostname, options, callback) => {
      this.resolve(hostname).then(
        (resolved) => {
          const addresses = resolved.filter((entry) => !options.family || entry.family === options.family);
          const refused = addresses.find((entry) => !isPublicAddress(entry.address));
          if (addresses.length === 0 || refused !== undefined) {
            const why = refused ? `resolves to ${refused.address}, which is not a public address` : 'has no address';
            callback(new AlertWebhookRefusedError(`alert webhook refused: ${hostname} ${why}`), '', 0);
          } else if (options.all) callback(null, addresses);
          else callback(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
      );
    };
    return this.lookup;
  }
}
