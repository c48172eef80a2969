import { z } from 'zod';
import { parseEndpointPattern, type VendorEndpointRules } from '../connectors/vendor-endpoints.js';

/** Production's allow-lists when the operator names none: the vendors' public APIs, over https. */
export const productionEndpointDefaults = {
  intacct: ['https://*.intacct.com'],
  bigcommerce: ['https://api.bigcommerce.com'],
  clarity: [],
  stripe: ['https://api.stripe.com'],
} as const satisfies VendorEndpointRules['allowed'];

const listFormat =
  'comma-separated `https://host[:port]` (`*.domain`: any sub-domain); tenant credentials are sent only there. Ignored in sandbox mode, where only the sandboxes are allowed';

/** The environment variables of the endpoint allow-lists (part of config/index.ts's schema). */
export const vendorEndpointVariables = {
  INTACCT_ALLOWED_ENDPOINTS: z
    .string()
    .default(productionEndpointDefaults.intacct.join(','))
    .describe(`Production: the Intacct gateways tenants may choose, ${listFormat}`),
  BIGCOMMERCE_ALLOWED_ENDPOINTS: z
    .string()
    .default(productionEndpointDefaults.bigcommerce.join(','))
    .describe(`Production: the BigCommerce API hosts tenants may choose, ${listFormat}`),
  CLARITY_ALLOWED_ENDPOINTS: z
    .string()
    .optional()
    .describe(
      `Production: the Clarity sites tenants may connect, ${listFormat}. Unset, none is allowed: no Clarity tenant can be configured until the operator names its sites`,
    ),
  STRIPE_ALLOWED_ENDPOINTS: z
    .string()
    .default(productionEndpointDefaults.stripe.join(','))
    .describe(`Production: the Stripe API hosts tenants may choose, ${listFormat}`),
};

type EndpointEnvironment = { [name in keyof typeof vendorEndpointVariables]?: string | undefined };

/**
 * The installation's endpoint rules. Production: the operator's lists (https only) and no
 * private, loopback or link-local addresses. Sandbox mode: the sandboxes' own addresses and
 * nothing else, so the stack launcher passes the ports its sandboxes really listen on.
 * Problems are added to `problems`.
 */
export function vendorEndpointRules(
  mode: 'sandbox' | 'production',
  env: EndpointEnvironment,
  sandboxPorts: { intacct: number; bigcommerce: number; clarity: number; stripe: number },
  problems: string[],
): VendorEndpointRules {
  if (mode === 'sandbox') {
    const sandbox = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
    return {
      allowed: {
        intacct: sandbox(sandboxPorts.intacct),
        bigcommerce: sandbox(sandboxPorts.bigcommerce),
        clarity: sandbox(sandboxPorts.clarity),
        stripe: sandbox(sandboxPorts.stripe),
      },
      refusePrivateAddresses: false,
    };
  }
  const list = (name: keyof EndpointEnvironment): string[] => {
    const entries = (env[name] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    return entries.filter((entry) => {
      try {
        if (parseEndpointPattern(entry).protocol === 'https:') return true;
        problems.push(`${name}: ${entry} must be https in production: credentials are sent there`);
      } catch (error) {
        problems.push(`${name}: ${(error as Error).message}`);
      }
      return false;
    });
  };
  return {
    allowed: {
      intacct: list('INTACCT_ALLOWED_ENDPOINTS'),
      bigcommerce: list('BIGCOMMERCE_ALLOWED_ENDPOINTS'),
      clarity: list('CLARITY_ALLOWED_ENDPOINTS'),
      stripe: list('STRIPE_ALLOWED_ENDPOINTS'),
    },
    refusePrivateAddresses: true,
  };
}
