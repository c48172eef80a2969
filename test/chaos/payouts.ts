/**
 * The chaos run's payouts: the BigCommerce tenant takes its plain paid orders through the
 * Stripe sandbox, and Stripe pays out while the run goes on (before the Temporal restart and
 * the second worker kill, under Intacct's faults, each `payout.*` webhook delivered three
 * times), then once more after the orders settled, so every charge is paid out by the end.
 * `verify-payouts.ts` then checks the payouts from Intacct's own ledger.
 */
import { demoStripeSecretKey } from '../../sandbox/stripe/index.js';
import type { GatewayCloseSettings } from '../../store/schemas/settings.js';
import {
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  type PayoutReconcileStatus,
} from '../../workflows/payout-reconcile-contract.js';
import type { JsonAnswer, ProcessStack } from '../support/process-stack.js';
import type { OrderPlan } from './plan.js';
import type { PlacedOrder } from './verify.js';
import type { Storefronts } from './storefronts.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stripe payments wait in the Intacct sandbox's "Stripe Clearing" (GL 1060) and are paid out to BOA-CHK (GL 1000). */
export const chaosStripeGateway: GatewayCloseSettings = {
  gateway: 'stripe',
  clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: { fees: '6100', refunds: '4950', chargebacks: '6110', disputeFees: '6120', reserves: '1070', adjustments: '6190' },
  journal: 'GJ',
  dimensions: { locationId: '100' },
  postingMode: 'perPayout',
  postingDate: 'arrival',
};
/** The GL account of {@link chaosStripeGateway}'s bank account in the Intacct sandbox's seed. */
export const chaosBankGlAccount = '1000';

/** A Stripe payout as the run reads it back from the Stripe sandbox. */
export interface StripePayoutView {
  id: string;
  amount: number;
  currency: string;
  status: string;
  arrival_date: number;
}

/** Where payouts stand, for the summary. */
export interface PayoutRunFigures {
  payouts: number;
  /** Orders placed paid through Stripe. */
  ordersPaidThroughStripe: number;
  /** Payouts made before the orders settled (each while more orders were placed, faults on). */
  paidOutDuringRun: number;
}

/** Which plans pay through Stripe: BigCommerce orders placed paid and kept (cancellations and authorisations use the store's own test gateway). */
export function paysThroughStripe(plan: OrderPlan): boolean {
  return plan.storefront === 'bigcommerce' && plan.story === 'paid' && !plan.authoriseOnly;
}

/** The share of the orders placed after which Stripe pays out during the run: just before the Temporal restart (½) and the second worker kill (¾). */
export const payoutPoints = [0.45, 0.7] as const;

export class ChaosPayouts {
  private gatewayOn = false;
  private paidOutDuringRun = 0;
  private readonly stripeOrders = new Set<string>();

  private constructor(
    private readonly stack: ProcessStack,
    private readonly storefronts: Storefronts,
    readonly tenantId: string,
    private readonly stripeUrl: string,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Connects the BigCommerce tenant to the stack's Stripe sandbox the way an operator does,
   * through the admin API: Stripe as a connection, the close settings of the `stripe` gateway,
   * the secret key, and a webhook endpoint at Stripe for payout events (its signing secret
   * stored as the tenant's). Every Stripe event is delivered three times.
   */
  static async connect(stack: ProcessStack, storefronts: Storefronts, log: (line: string) => void): Promise<ChaosPayouts> {
    const stripe = stack.sandboxes.stripe;
    if (!stripe) throw new Error('the chaos stack has no Stripe sandbox');
    const tenantId = stack.tenant('bigcommerce');
    const expectOk = (answer: JsonAnswer, what: string) => {
      if (answer.status >= 300) throw new Error(`${what} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body as Record<string, any>;
    };
    const current = expectOk(await stack.admin('GET', `/tenants/${tenantId}/settings`), 'reading the settings');
    expectOk(
      await stack.admin('PATCH', `/tenants/${tenantId}/settings`, {
        version: current.version,
        settings: {
          connection: { stripe: { apiBaseUrl: stripe.url } },
          // Receipts held up by the run's faults come within minutes; a payout still missing one
          // after three parks, inside the five minutes the run gives payouts to settle.
          close: { gateways: [chaosStripeGateway], awaitPostingsHours: 0.05 },
        },
      }),
      'connecting Stripe',
    );
    const payouts = new ChaosPayouts(stack, storefronts, tenantId, stripe.url, log);
    const endpoint = (await payouts.stripeApi('POST', '/v1/webhook_endpoints', {
      url: `${stack.apiUrl}/webhooks/stripe/${tenantId}`,
      'enabled_events[0]': 'payout.paid',
      'enabled_events[1]': 'payout.failed',
      'enabled_events[2]': 'charge.dispute.created',
    })) as { secret: string };
    expectOk(
      await stack.admin('PUT', `/tenants/${tenantId}/credentials/stripe`, {
        secretKey: demoStripeSecretKey,
        webhookSigningSecret: endpoint.secret,
      }),
      'storing the Stripe credentials',
    );
    await payouts.control('PUT', '/webhook_behaviour', { copies: 3 });
    return payouts;
  }

  /** A call to the Stripe sandbox's API (form-encoded, as Stripe takes it). */
  async stripeApi(method: 'GET' | 'POST', route: string, form: Record<string, string> = {}): Promise<unknown> {
    const body = new URLSearchParams(form).toString();
    const response = await fetch(`${this.stripeUrl}${route}${method === 'GET' && body ? `?${body}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${demoStripeSecretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      ...(method === 'POST' && { body }),
    });
    const parsed = await response.json();
    if (!response.ok) throw new Error(`Stripe sandbox ${method} ${route}: ${response.status} ${JSON.stringify(parsed)}`);
    return parsed;
  }

  /** A call to the Stripe sandbox's `/_sandbox` control API. */
  async control(method: string, route: string, body?: unknown): Promise<any> {
    const response = await fetch(`${this.stripeUrl}/_sandbox${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Stripe sandbox control ${method} ${route}: ${response.status} ${text}`);
    return text === '' ? {} : JSON.parse(text);
  }

  /** Points the store's payment gateway at Stripe for this plan, or back at its test gateway (orders are placed one at a time). */
  async gatewayFor(plan: OrderPlan): Promise<void> {
    const wanted = paysThroughStripe(plan);
    if (wanted === this.gatewayOn) return;
    const answer = await this.storefronts.bigCommerce(
      'PUT',
      '/_control/stripe-gateway',
      wanted ? { url: this.stripeUrl, secretKey: demoStripeSecretKey } : {},
    );
    if (answer.status >= 300) throw new Error(`setting the store's Stripe gateway failed: ${answer.status}`);
    this.gatewayOn = wanted;
  }

  /** Notes an order placed through Stripe. */
  placed(plan: OrderPlan, orderId: string): void {
    if (paysThroughStripe(plan)) this.stripeOrders.add(orderId);
  }

  /**
   * Stripe pays out everything it holds, once the Stripe orders placed so far have their
   * receipts in Intacct's clearing account (a real payout comes days after the sale; waiting is
   * bounded: a payout with a receipt still missing is parked with a variance, which the
   * verification reports). The orders placed meanwhile wait, so nothing unposted is paid out.
   */
  async payOutPosted(what: string, options: { timeoutMs?: number; duringRun: boolean }): Promise<StripePayoutView | undefined> {
    const timeoutMs = options.timeoutMs ?? 5 * 60_000;
    const deadline = Date.now() + timeoutMs;
    let missing: string[];
    for (;;) {
      const receipts = new Set(
        (await this.storefronts.intacctRecords('ARPYMT').catch(() => []))
          .filter((record) => record.UNDEPOSITEDACCOUNTNO === chaosStripeGateway.clearing.glAccountNo && record.STATE !== 'Reversed')
          .map((record) => record.DOCNUMBER),
      );
      missing = [...this.stripeOrders].filter((orderId) => !receipts.has(orderId));
      if (missing.length === 0 || Date.now() > deadline) break;
      await pause(2_000);
    }
    if (missing.length > 0) this.log(`${what}: ${missing.length} Stripe orders still without an Intacct receipt; paying out anyway`);
    if (this.stripeOrders.size === 0) {
      this.log(`${what}: no order paid through Stripe yet, so no payout`);
      return undefined;
    }
    const payout = (await this.control('POST', '/payouts', { includePending: true }).catch((error: Error) => {
      // Stripe refuses a payout of nothing (everything already paid out): not a fault of the run.
      if (/balance_insufficient/.test(error.message)) return undefined;
      throw error;
    })) as StripePayoutView | undefined;
    if (payout === undefined) {
      this.log(`${what}: nothing for Stripe to pay out`);
      return undefined;
    }
    if (options.duringRun) this.paidOutDuringRun += 1;
    this.log(`${what}: Stripe paid out ${payout.id} (${(payout.amount / 100).toFixed(2)} ${payout.currency})`);
    return payout;
  }

  /** Every payout Stripe made, oldest first. */
  async payouts(): Promise<StripePayoutView[]> {
    const all: StripePayoutView[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (await this.stripeApi('GET', '/v1/payouts', { limit: '100', ...(after && { starting_after: after }) })) as {
        data: StripePayoutView[];
        has_more: boolean;
      };
      all.push(...page.data);
      if (!page.has_more || page.data.length === 0) return all.reverse();
      after = page.data.at(-1)!.id;
    }
  }

  /** The payout's PayoutReconcile status, or undefined while it has no workflow (or Temporal does not answer). */
  async status(payoutId: string): Promise<PayoutReconcileStatus | undefined> {
    const handle = this.stack.client.workflow.getHandle(payoutReconcileWorkflowId(this.tenantId, 'stripe', payoutId));
    return handle.query(payoutReconcileStatusQuery).catch(() => undefined);
  }

  /**
   * Waits (bounded) until Stripe has delivered every event and each payout's PayoutReconcile is
   * done: posted, not paid, or parked (its variances are attention items). Returns the payouts
   * not done in time.
   */
  async settle(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let lastLog = 0;
    for (;;) {
      const { deliveries } = (await this.control('GET', '/webhook_deliveries')) as { deliveries: Array<{ state: string }> };
      const pendingDeliveries = deliveries.filter((delivery) => delivery.state === 'pending').length;
      const open: string[] = [];
      for (const payout of await this.payouts()) {
        const step = (await this.status(payout.id))?.step;
        if (step !== 'posted' && step !== 'not_paid' && step !== 'parked') open.push(`${payout.id} (${step ?? 'no workflow'})`);
      }
      if (open.length === 0 && pendingDeliveries === 0) return [];
      if (Date.now() > deadline) return open;
      if (Date.now() - lastLog > 10_000) {
        this.log(`payouts: ${open.length} not posted yet, ${pendingDeliveries} Stripe deliveries pending`);
        lastLog = Date.now();
      }
      await pause(2_000);
    }
  }

  figures(payouts: number): PayoutRunFigures {
    return { payouts, ordersPaidThroughStripe: this.stripeOrders.size, paidOutDuringRun: this.paidOutDuringRun };
  }

  /** The orders placed through Stripe, as the run placed them. */
  stripeOrdersOf(placed: readonly PlacedOrder[]): PlacedOrder[] {
    return placed.filter((order) => this.stripeOrders.has(order.orderId));
  }
}
