import { randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { productionEndpointDefaults } from '../../config/vendor-endpoints.js';
import {
  endpointMatches,
  isPublicAddress,
  parseEndpointPattern,
  VendorEndpointRefusedError,
  VendorEndpoints,
  type AddressResolver,
} from '../../connectors/vendor-endpoints.js';

describe('endpoint allow-list matching', () => {
  it.each([
    // pattern, url, allowed
    ['https://*.intacct.com', 'https://api.intacct.com/ia/xml/xmlgw.phtml', true],
    ['https://*.intacct.com', 'https://API.Intacct.COM/ia/xml/xmlgw.phtml', true],
    ['https://*.intacct.com', 'https://eu.api.intacct.com/ia/xml/xmlgw.phtml', true],
    ['https://*.intacct.com', 'https://intacct.com/ia/xml/xmlgw.phtml', false],
    ['https://*.intacct.com', 'https://evilintacct.com/', false],
    ['https://*.intacct.com', 'https://api.intacct.com.evil.example/', false],
    ['https://*.intacct.com', 'http://api.intacct.com/ia/xml/xmlgw.phtml', false],
    ['https://*.intacct.com', 'https://api.intacct.com:8443/', false],
    ['https://*.intacct.com', 'https://api.intacct.com:443/', true],
    ['https://*.intacct.com', 'https://user:pw@api.intacct.com/', false],
    ['https://api.bigcommerce.com', 'https://api.bigcommerce.com', true],
    ['https://api.bigcommerce.com', 'https://api.bigcommerce.com/stores/x/v3', true],
    ['https://api.bigcommerce.com', 'https://store.api.bigcommerce.com', false],
    ['https://api.bigcommerce.com', 'https://api.bigcommerce.com:8443', false],
    ['https://shop.example.com:8443', 'https://shop.example.com:8443/api', true],
    ['https://shop.example.com:8443', 'https://shop.example.com/api', false],
    ['http://localhost:4001', 'http://localhost:4001/ia/xml/xmlgw.phtml', true],
    ['http://localhost:4001', 'http://localhost:4002/', false],
    ['http://localhost:4001', 'https://localhost:4001/', false],
    ['http://localhost:4001', 'http://127.0.0.1:4001/', false],
    ['http://127.0.0.1:4001', 'http://127.0.0.1:4001/', true],
    ['http://127.0.0.1:4001', 'http://2130706433:4001/', true],
  ])('when %s is allowed and the tenant names %s then allowed is %s', (pattern, url, allowed) => {
    expect(endpointMatches([parseEndpointPattern(pattern)], new URL(url))).toBe(allowed);
  });

  it.each([
    ['api.intacct.com', 'is not scheme://host[:port]'],
    ['ftp://api.intacct.com', 'the scheme must be http or https'],
    ['https://api.intacct.com/ia/xml', 'no user, path, query or fragment'],
    ['https://user@api.intacct.com', 'no user, path, query or fragment'],
    ['https://api.*.com', 'a wildcard may only be the first label'],
    ['https://*.com', 'a wildcard needs a domain of at least two labels'],
  ])('when the operator lists %s then it is refused: %s', (pattern, reason) => {
    expect(() => parseEndpointPattern(pattern)).toThrow(reason);
  });
});

describe('public addresses', () => {
  it.each([
    ['8.8.8.8', true],
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['[::1]', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['not-an-address', false],
  ])('when a host resolves to %s then public is %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('VendorEndpoints', () => {
  const production = (resolve?: AddressResolver) =>
    new VendorEndpoints(
      { allowed: { ...productionEndpointDefaults, clarity: [] }, refusePrivateAddresses: true },
      resolve ? { resolve } : {},
    );

  /** Runs a lookup the way the socket does and returns what it handed back. */
  const lookUp = (endpoints: VendorEndpoints, hostname: string, options: { all?: boolean; family?: number } = {}) =>
    new Promise<{ error: Error | null; address: string | LookupAddress[] }>((resolve) => {
      endpoints.lookupFor('intacct')!(hostname, options, (error, address) => resolve({ error, address }));
    });

  it('when a tenant names an endpoint off the list then the refusal names the allowed ones', () => {
    expect(production().refusal('intacct', 'https://intacct.example.com/ia/xml/xmlgw.phtml')).toBe(
      'https://intacct.example.com is not one of the Intacct endpoints this installation allows: https://*.intacct.com',
    );
    expect(production().refusal('intacct', 'https://api.intacct.com/ia/xml/xmlgw.phtml')).toBeUndefined();
  });

  it('when the operator named no Clarity site then every Clarity endpoint is refused', () => {
    expect(production().refusal('clarity', 'https://shop.example.com/api')).toBe(
      'this installation allows no Clarity endpoint yet (the operator names them)',
    );
  });

  it('when an allowed pattern names an IP literal that is private then production refuses it without a lookup', () => {
    const rules = new VendorEndpoints({
      allowed: { intacct: ['https://10.0.0.5'], bigcommerce: [], clarity: [] },
      refusePrivateAddresses: true,
    });
    expect(rules.refusal('intacct', 'https://10.0.0.5/')).toBe('10.0.0.5 is not a public address');
  });

  it('when the client factory is asked for a refused endpoint then it throws a non-retryable auth-class connector error', () => {
    const error = (() => {
      try {
        production().check('bigcommerce', 'https://api.bigcommerce.com.evil.example');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VendorEndpointRefusedError);
    expect(error).toMatchObject({ type: 'VendorEndpointRefusedError', kind: 'auth', retryable: false, system: 'bigcommerce' });
  });

  it.each([
    ['a loopback address', [{ address: '127.0.0.1', family: 4 }]],
    ['a private address', [{ address: '10.0.0.7', family: 4 }]],
    ['the metadata service', [{ address: '169.254.169.254', family: 4 }]],
    ['a link-local IPv6 address', [{ address: 'fe80::1', family: 6 }]],
    [
      'a public and a private address',
      [
        { address: '93.184.216.34', family: 4 },
        { address: '192.168.0.10', family: 4 },
      ],
    ],
  ])('when an allowed host resolves to %s then the lookup refuses it before any connection', async (_what, answer) => {
    const { error } = await lookUp(
      production(() => Promise.resolve(answer)),
      'api.intacct.com',
      { all: true },
    );
    expect(error).toBeInstanceOf(VendorEndpointRefusedError);
    expect(error?.message).toContain('is not a public address');
  });

  it('when an allowed host resolves to public addresses then the socket gets exactly those addresses', async () => {
    const answer = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ];
    const endpoints = production(() => Promise.resolve(answer));
    expect(await lookUp(endpoints, 'api.intacct.com', { all: true })).toEqual({ error: null, address: answer });
    expect(await lookUp(endpoints, 'api.intacct.com', { family: 6 })).toEqual({ error: null, address: '2606:2800:220:1::1' });
  });

  it('when addresses are not checked (sandbox mode) then there is no lookup of its own', () => {
    const sandbox = new VendorEndpoints({
      allowed: { intacct: ['http://localhost:4001'], bigcommerce: [], clarity: [] },
      refusePrivateAddresses: false,
    });
    expect(sandbox.lookupFor('intacct')).toBeUndefined();
  });
});

describe('endpoint rules from the configuration', () => {
  const production = {
    APP_MODE: 'production',
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    TEMPORAL_TLS: 'true',
    MONGODB_URI: 'mongodb+srv://db.internal/app',
    CREDENTIALS_KEYS: `prod-1:${randomBytes(32).toString('base64')}`,
    PAYLOAD_CODEC_KEYS: `p1:${randomBytes(32).toString('base64')}`,
  };

  it('when sandbox mode runs then exactly the sandboxes addresses are allowed, on the ports they were given', () => {
    const config = loadConfig({
      INTACCT_SANDBOX_PORT: '5101',
      BIGCOMMERCE_SANDBOX_PORT: '5102',
      CLARITY_SANDBOX_PORT: '5103',
      STRIPE_SANDBOX_PORT: '5104',
    });
    expect(config.vendorEndpoints).toEqual({
      allowed: {
        intacct: ['http://localhost:5101', 'http://127.0.0.1:5101'],
        bigcommerce: ['http://localhost:5102', 'http://127.0.0.1:5102'],
        clarity: ['http://localhost:5103', 'http://127.0.0.1:5103'],
        stripe: ['http://localhost:5104', 'http://127.0.0.1:5104'],
      },
      refusePrivateAddresses: false,
    });
  });

  it('when production names nothing then the vendors public APIs are allowed over https and no Clarity site', () => {
    expect(loadConfig(production).vendorEndpoints).toEqual({
      allowed: {
        intacct: ['https://*.intacct.com'],
        bigcommerce: ['https://api.bigcommerce.com'],
        clarity: [],
        stripe: ['https://api.stripe.com'],
      },
      refusePrivateAddresses: true,
    });
  });

  it('when production names an http or malformed endpoint then start-up is refused naming the variable', () => {
    let message = '';
    try {
      loadConfig({
        ...production,
        CLARITY_ALLOWED_ENDPOINTS: 'http://shop.example.com',
        INTACCT_ALLOWED_ENDPOINTS: 'https://*.intacct.com/ia',
        STRIPE_ALLOWED_ENDPOINTS: 'http://api.stripe.com',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('CLARITY_ALLOWED_ENDPOINTS: http://shop.example.com must be https in production');
    expect(message).toContain('INTACCT_ALLOWED_ENDPOINTS: https://*.intacct.com/ia: give scheme://host[:port] only');
    expect(message).toContain('STRIPE_ALLOWED_ENDPOINTS: http://api.stripe.com must be https in production');
    expect(
      loadConfig({ ...production, CLARITY_ALLOWED_ENDPOINTS: 'https://shop.example.com, https://*.shops.example.net' }).vendorEndpoints
        .allowed.clarity,
    ).toEqual(['https://shop.example.com', 'https://*.shops.example.net']);
  });
});
