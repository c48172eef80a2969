import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConnectorError, type ConnectorSystem } from './connector-error.js';

/**
 * Where the connectors may send tenants' credentials. The installation's operator names each
 * connector's endpoints (an allow-list); a tenant only picks among them. In production the
 * addresses a host name resolves to must also be public: checked in the HTTP client's own DNS
 * lookup, so the address checked is the address connected to (no rebinding in between).
 */

/** One allow-list entry: `scheme://host[:port]`, the host optionally `*.domain` (any sub-domain, not the domain itself). */
export interface EndpointPattern {
  protocol: 'http:' | 'https:';
  /** Lower-case host name or IP literal; for a wildcard, the domain after `*.`. */
  host: string;
  wildcard: boolean;
  /** As `URL.port` has it: empty for the scheme's default port. */
  port: string;
}

/** Reads an allow-list entry; throws an `Error` saying what is wrong with it. */
export function parseEndpointPattern(text: string): EndpointPattern {
  const trimmed = text.trim();
  const wildcard = /^https?:\/\/\*\./i.test(trimmed);
  let url: URL;
  try {
    url = new URL(wildcard ? trimmed.replace('*.', 'wildcard.') : trimmed);
  } catch {
    throw new Error(`${trimmed} is not scheme://host[:port]`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${trimmed}: the scheme must be http or https`);
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw new Error(`${trimmed}: give scheme://host[:port] only (no user, path, query or fragment)`);
  if (url.hostname.includes('*')) throw new Error(`${trimmed}: a wildcard may only be the first label (*.example.com)`);
  const host = wildcard ? url.hostname.slice('wildcard.'.length) : url.hostname;
  if (wildcard && !host.includes('.')) throw new Error(`${trimmed}: a wildcard needs a domain of at least two labels`);
  return { protocol: url.protocol, host, wildcard, port: url.port };
}

/** Whether `url` is on one of the patterns: same scheme, same port, the host equal or (wildcard) a sub-domain. */
export function endpointMatches(patterns: readonly EndpointPattern[], url: URL): boolean {
  if (url.username !== '' || url.password !== '') return false;
  const hostname = url.hostname.toLowerCase();
  return patterns.some(
    (pattern) =>
      url.protocol === pattern.protocol &&
      url.port === pattern.port &&
      (pattern.wildcard ? hostname.endsWith(`.${pattern.host}`) : hostname === pattern.host),
  );
}

/**
 * True for an address on the public internet: ipaddr.js's `unicast` range, after unwrapping an
 * IPv4-mapped IPv6 address. Private, loopback, link-local, carrier-grade NAT, multicast,
 * reserved and unique-local addresses are not.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'unicast';
}

/** A failure the installation raises itself: credentials are never sent to an endpoint it does not allow. */
export class VendorEndpointRefusedError extends ConnectorError {
  readonly type = 'VendorEndpointRefusedError' as const;
  /** A setting a person must change: retrying cannot help. */
  readonly kind = 'auth' as const;
  readonly system: ConnectorSystem;

  constructor(system: ConnectorSystem, message: string, vendorCode: 'endpoint_not_allowed' | 'endpoint_not_public') {
    super(message, { vendorCode });
    this.system = system;
  }
}

/** The refusal inside `error` (got wraps a lookup failure as its `cause`), if there is one. */
export function endpointRefusalIn(error: unknown): VendorEndpointRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current instanceof VendorEndpointRefusedError) return current;
  }
  return undefined;
}

/** Resolves a host name to every address it has; injectable so tests can play any DNS answer. */
export type AddressResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemNames: Record<ConnectorSystem, string> = {
  intacct: 'Intacct',
  bigcommerce: 'BigCommerce',
  clarity: 'Clarity',
  stripe: 'Stripe',
};

/** The operator's rules: the allowed endpoints per connector, and whether resolved addresses must be public. */
export interface VendorEndpointRules {
  /** Per connector; a payment processor left out (Stripe) is allowed no endpoint at all. */
  allowed: Readonly<Record<Exclude<ConnectorSystem, 'stripe'>, readonly string[]> & { stripe?: readonly string[] }>;
  /** Production: refuse hosts that are or resolve to private, loopback or link-local addresses. */
  refusePrivateAddresses: boolean;
}

/** The installation's endpoint rules, applied when settings are written and again by every connector client. */
export class VendorEndpoints {
  private readonly patterns: Record<ConnectorSystem, EndpointPattern[]>;
  private readonly lookups = new Map<ConnectorSystem, LookupFunction>();
  private readonly resolve: AddressResolver;

  constructor(
    readonly rules: VendorEndpointRules,
    options: { resolve?: AddressResolver } = {},
  ) {
    this.patterns = {
      intacct: rules.allowed.intacct.map(parseEndpointPattern),
      bigcommerce: rules.allowed.bigcommerce.map(parseEndpointPattern),
      clarity: rules.allowed.clarity.map(parseEndpointPattern),
      stripe: (rules.allowed.stripe ?? []).map(parseEndpointPattern),
    };
    this.resolve = options.resolve ?? ((hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true }));
  }

  /** Why `endpoint` may not be used for `system`, or undefined when it may. */
  refusal(system: ConnectorSystem, endpoint: string): string | undefined {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return 'it is not a URL';
    }
    if (!endpointMatches(this.patterns[system], url)) {
      const allowed = this.rules.allowed[system] ?? [];
      return allowed.length === 0
        ? `this installation allows no ${systemNames[system]} endpoint yet (the operator names them)`
        : `${url.protocol}//${url.host} is not one of the ${systemNames[system]} endpoints this installation allows: ${allowed.join(', ')}`;
    }
    // An IP literal is connected to without a lookup, so it is checked here.
    if (this.rules.refusePrivateAddresses && ipaddr.isValid(url.hostname.replace(/^\[|\]$/g, '')) && !isPublicAddress(url.hostname))
      return `${url.hostname} is not a public address`;
    return undefined;
  }

  /** Throws {@link VendorEndpointRefusedError} unless `endpoint` may be used for `system`. */
  check(system: ConnectorSystem, endpoint: string): void {
    const reason = this.refusal(system, endpoint);
    if (reason !== undefined)
      throw new VendorEndpointRefusedError(system, `${systemNames[system]} endpoint refused: ${reason}`, 'endpoint_not_allowed');
  }

  /**
   * The DNS lookup a connector's HTTP client must use (got's `dnsLookup`): it resolves, refuses
   * unless every address is public, and hands exactly the checked addresses to the socket.
   * Undefined when addresses are not checked (sandbox mode).
   */
  lookupFor(system: ConnectorSystem): LookupFunction | undefined {
    if (!this.rules.refusePrivateAddresses) return undefined;
    let lookup = this.lookups.get(system);
    if (!lookup) this.lookups.set(system, (lookup = publicAddressLookup(system, this.resolve)));
    return lookup;
  }
}

function publicAddressLookup(system: ConnectorSystem, resolve: AddressResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.filter((entry) => !options.family || entry.family === options.family);
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        const refused = addresses.find((entry) => !isPublicAddress(entry.address));
        if (refused) {
          callback(
            new VendorEndpointRefusedError(
              system,
              `${systemNames[system]} endpoint refused: ${hostname} resolves to ${refused.address}, which is not a public address`,
              'endpoint_not_public',
            ),
            '',
            0,
          );
          return;
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
