import Stripe from 'stripe';
import {
  demoStripeSecretKey,
  startStripeSandbox,
  type RunningStripeSandbox,
  type StripeSandboxOptions,
} from '../../../sandbox/stripe/index.js';

/** A Stripe sandbox on a free port, Stripe's own client pointed at it, and the control API. */
export interface StripeFixture {
  sandbox: RunningStripeSandbox;
  stripe: Stripe;
  /** Calls `/_sandbox/…` with a JSON body; answers the parsed JSON, throwing on a non-2xx. */
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export function stripeClient(port: number, key = demoStripeSecretKey): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

export async function startStripeFixture(options: Partial<StripeSandboxOptions> = {}): Promise<StripeFixture> {
  const sandbox = await startStripeSandbox({ port: 0, controlEnabled: true, ...options });
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };
  return { sandbox, stripe: stripeClient(sandbox.port), control, close: () => sandbox.close() };
}

/** A captured card payment of `amount` (in `currency`), as a checkout makes one. */
export async function paidIntent(
  stripe: Stripe,
  amount: number,
  currency = 'usd',
  metadata: Record<string, string> = {},
): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.create({ amount, currency, payment_method: 'pm_card_visa', confirm: true, metadata });
}

/** Stripe's card fee on an amount: 2.9 % + 30, rounded half away from zero. */
export function standardFee(amount: number): number {
  return Math.round((amount * 290) / 10_000) + 30;
}
