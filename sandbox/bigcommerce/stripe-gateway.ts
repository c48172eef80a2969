import type { Logger } from 'pino';
import type { Order, Transaction } from './model.js';
import type { EventSink } from './store-types.js';
import type { SandboxStore } from './store.js';

/** Where the store's Stripe account is: the Stripe sandbox (or any server speaking Stripe's API). */
export interface StripeGatewaySettings {
  /** Base URL, e.g. `http://localhost:4004`. */
  url: string;
  /** The account's secret key (`sk_test_…`). */
  secretKey: string;
}

interface StripeObject {
  id: string;
}

/**
 * "Paid through Stripe": with settings, the store's payment gateway is a Stripe account, called
 * over HTTP as BigCommerce's Stripe integration calls Stripe. A checkout at a paid status makes a
 * PaymentIntent (captured at once, or authorised only, by the gateway setting), a capture or void
 * captures or cancels it, a refund refunds it; the order's transaction then names `gateway:
 * 'stripe'` and the PaymentIntent id (the refund id for refunds) as `gateway_transaction_id`.
 * Webhook events wait while a payment is being made, and the answer to the request that caused
 * it waits too, so whoever reads the order's transactions sees Stripe's ids.
 */
export class StripeGatewayLink {
  settings: StripeGatewaySettings | undefined;
  private inFlight = 0;
  private held: [string, Record<string, unknown>][] = [];
  private waiters: (() => void)[] = [];

  constructor(
    private readonly store: () => SandboxStore,
    private readonly publish: EventSink,
    private readonly logger: Logger | undefined,
  ) {}

  /** The store's event sink: passes events on, or holds them (in order) while a payment is in flight. */
  readonly sink: EventSink = (scope, data) => {
    const payment = this.settings === undefined ? undefined : this.paymentFor(this.settings, scope, data);
    if (payment === undefined && this.inFlight === 0) {
      this.publish(scope, data);
      return;
    }
    this.held.push([scope, data]);
    if (payment === undefined) return;
    this.inFlight += 1;
    void payment
      .catch((error: unknown) => this.logger?.warn({ err: error, scope }, 'bigcommerce sandbox: the Stripe gateway call failed'))
      .finally(() => {
        this.inFlight -= 1;
        if (this.inFlight > 0) return;
        for (const [heldScope, heldData] of this.held.splice(0)) this.publish(heldScope, heldData);
        for (const resolve of this.waiters.splice(0)) resolve();
      });
  };

  /** Resolves once no payment is in flight. */
  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private paymentFor(settings: StripeGatewaySettings, scope: string, data: Record<string, unknown>): Promise<void> | undefined {
    const store = this.store();
    if (scope === 'store/order/created') {
      const order = store.order(Number(data.id));
      const checkout = order.transactions.find((transaction) => transaction.event === 'purchase' || transaction.event === 'authorization');
      return checkout === undefined ? undefined : this.checkout(settings, order, checkout);
    }
    if (scope === 'store/order/transaction/created') {
      const order = store.order(Number(data.order_id));
      const transaction = order.transactions.find((candidate) => candidate.id === Number(data.transaction_id));
      const intent = paymentIntentOf(order);
      if (transaction === undefined || intent === undefined) return undefined;
      const action = transaction.event === 'void' ? 'cancel' : 'capture';
      const params: Record<string, string> = action === 'capture' ? { amount_to_capture: String(transaction.amountCents) } : {};
      return this.call<StripeObject>(
        settings,
        `/v1/payment_intents/${intent}/${action}`,
        params,
        `bigcommerce-transaction-${transaction.id}`,
      ).then(() => markStripe(transaction, intent));
    }
    if (scope === 'store/order/refund/created') {
      const order = store.order(Number(data.id));
      const refundId = (data.refund as { refund_id?: number } | undefined)?.refund_id;
      const refund = order.refunds.find((candidate) => candidate.id === refundId);
      const transaction = order.transactions.find((candidate) => candidate.gatewayTransactionId === `tg-refund-${refundId}`);
      const intent = paymentIntentOf(order);
      if (refund === undefined || transaction === undefined || intent === undefined) return undefined;
      const params = { payment_intent: intent, amount: String(refund.totalCents), 'metadata[bigcommerce_refund_id]': String(refund.id) };
      return this.call<StripeObject>(settings, '/v1/refunds', params, `bigcommerce-refund-${refund.id}`).then((made) =>
        markStripe(transaction, made.id),
      );
    }
    return undefined;
  }

  private async checkout(settings: StripeGatewaySettings, order: Order, checkout: Transaction): Promise<void> {
    const intent = await this.call<StripeObject>(
      settings,
      '/v1/payment_intents',
      {
        amount: String(checkout.amountCents),
        currency: order.currency.toLowerCase(),
        payment_method: 'pm_card_visa',
        confirm: 'true',
        capture_method: checkout.event === 'authorization' ? 'manual' : 'automatic',
        description: `Order #${order.id}`,
        'metadata[bigcommerce_order_id]': String(order.id),
      },
      `bigcommerce-order-${order.id}-checkout`,
    );
    markStripe(checkout, intent.id);
  }

  private async call<T>(settings: StripeGatewaySettings, path: string, params: Record<string, string>, idempotencyKey: string): Promise<T> {
    const response = await fetch(new URL(path, settings.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${settings.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': idempotencyKey,
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as T & { error?: { message?: string } };
    if (!response.ok) throw new Error(`Stripe answered ${response.status} to POST ${path}: ${body.error?.message ?? 'no message'}`);
    return body;
  }
}

/** The PaymentIntent the order's checkout made at Stripe, if it was paid through Stripe. */
function paymentIntentOf(order: Order): string | undefined {
  const checkout = order.transactions.find(
    (transaction) => (transaction.event === 'purchase' || transaction.event === 'authorization') && transaction.gateway === 'stripe',
  );
  return checkout?.gatewayTransactionId;
}

function markStripe(transaction: Transaction, stripeId: string): void {
  transaction.gateway = 'stripe';
  transaction.gatewayTransactionId = stripeId;
}
