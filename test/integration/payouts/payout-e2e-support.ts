import type Stripe from 'stripe';
import { listGlEntries, netDebit } from '../../../connectors/intacct/index.js';
import { demoStripeSecretKey } from '../../../sandbox/stripe/index.js';
import { saveCredentials } from '../../../store/credentials.js';
import { defaultUnpaidOutAfterDays, type GatewayCloseSettings } from '../../../store/schemas/settings.js';
import { readSettings, writeSettings } from '../../../store/settings.js';
import {
  payoutReconcileStatusQuery,
  payoutReconcileWorkflowId,
  type PayoutReconcileResult,
  type PayoutReconcileStatus,
  type ProcessorName,
} from '../../../workflows/payout-reconcile-contract.js';
import { eventually } from '../../support/eventually.js';
import type { OrderToCashStack } from '../../support/order-to-cash-stack.js';
import { stripeClient } from '../stripe/support.js';

/** The GL accounts of the Intacct sandbox's seed a gateway's close settings name. */
const processorAccounts = {
  fees: '6100',
  refunds: '4950',
  chargebacks: '6110',
  disputeFees: '6120',
  reserves: '1070',
  adjustments: '6190',
};

/** Stripe payments wait in the sandbox's "Stripe Clearing" account and are paid out to BOA-CHK (GL 1000). */
export const stripeGateway: GatewayCloseSettings = {
  gateway: 'stripe',
  clearing: { kind: 'gatewayClearing', glAccountNo: '1060' },
  bankAccountId: 'BOA-CHK',
  glAccounts: processorAccounts,
  journal: 'GJ',
  dimensions: { locationId: '100' },
  postingMode: 'perPayout',
  postingDate: 'arrival',
};

/** The BigCommerce sandbox's own test gateway: a second processor, whose payouts come as settlement files. */
export const testGateway: GatewayCloseSettings = {
  ...stripeGateway,
  gateway: 'testgateway',
  clearing: { kind: 'undepositedFunds', glAccountNo: '1050' },
};

export const bankGlAccount = '1000';

/** The tenant's Stripe side: what an operator sets up once before payouts post. */
export interface StripeConnection {
  stripe: Stripe;
  /** Calls the Stripe sandbox's `/_sandbox` control API. */
  control<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

/**
 * Connects the tenant to the Stripe sandbox the way an operator would: the store takes payments
 * through Stripe, the tenant's settings name its Stripe account and the close settings of both
 * gateways, its Stripe secret key is stored, and a webhook endpoint at Stripe delivers payout
 * events to the product's receiver (its signing secret stored as the tenant's).
 */
export async function connectStripe(stack: OrderToCashStack, tenantId: string): Promise<StripeConnection> {
  const sandbox = stack.sandboxes.stripe!;
  const gateway = await fetch(`${stack.sandboxes.bigcommerce.url}/_control/stripe-gateway`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: sandbox.url, secretKey: demoStripeSecretKey }),
  });
  if (!gateway.ok) throw new Error(`stripe gateway not set: ${gateway.status}`);

  const current = (await readSettings(stack.database.db, tenantId))!;
  await writeSettings(
    stack.database.db,
    tenantId,
    {
      ...current.settings,
      connection: { ...current.settings.connection, stripe: { apiBaseUrl: sandbox.url } },
      close: { gateways: [stripeGateway, testGateway], unpaidOutAfterDays: defaultUnpaidOutAfterDays },
    },
    { expectedVersion: current.version, changedBy: 'test' },
  );

  const stripe = stripeClient(sandbox.port);
  const endpoint = await stripe.webhookEndpoints.create({
    url: `${stack.api.url}/webhooks/stripe/${tenantId}`,
    enabled_events: ['payout.paid', 'payout.failed', 'charge.dispute.created'],
  });
  await saveCredentials(stack.database.db, stack.cipher, tenantId, 'stripe', {
    secretKey: demoStripeSecretKey,
    webhookSigningSecret: endpoint.secret!,
  });

  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`stripe control ${method} ${path}: ${response.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  };
  return { stripe, control };
}

/** Sets how long the tenant's payouts wait for postings still under way (`close.awaitPostingsHours`); 0 parks at once. */
export async function setAwaitPostingsHours(stack: OrderToCashStack, tenantId: string, hours: number): Promise<void> {
  const current = (await readSettings(stack.database.db, tenantId))!;
  await writeSettings(
    stack.database.db,
    tenantId,
    { ...current.settings, close: { ...current.settings.close!, awaitPostingsHours: hours } },
    { expectedVersion: current.version, changedBy: 'test' },
  );
}

/** An account's movement (debits − credits, cents) over everything the Intacct sandbox's GL holds for it. */
export async function glMovement(stack: OrderToCashStack, tenantId: string, accountNo: string): Promise<number> {
  const client = await (await stack.connections.forTenant(tenantId)).intacct();
  return netDebit(await listGlEntries(client, { accountNo, from: '2000-01-01', to: '2099-12-31' }), 2);
}

/** The payout's workflow status, once the workflow exists and satisfies `predicate`. */
export function waitForPayout(
  stack: OrderToCashStack,
  tenantId: string,
  processor: ProcessorName,
  payoutId: string,
  predicate: (status: PayoutReconcileStatus) => boolean,
  timeoutMs = 90_000,
): Promise<PayoutReconcileStatus> {
  const handle = stack.client.workflow.getHandle(payoutReconcileWorkflowId(tenantId, processor, payoutId));
  return eventually(() => handle.query(payoutReconcileStatusQuery), {
    until: predicate,
    what: `payout ${payoutId} of ${tenantId} to reach the expected state`,
    timeoutMs,
    intervalMs: 250,
  });
}

/** The payout workflow's result, once a webhook or an import has started it and it has finished. */
export function payoutResult(
  stack: OrderToCashStack,
  tenantId: string,
  processor: ProcessorName,
  payoutId: string,
  timeoutMs = 120_000,
): Promise<PayoutReconcileResult> {
  const handle = stack.client.workflow.getHandle(payoutReconcileWorkflowId(tenantId, processor, payoutId));
  return eventually(() => handle.result() as Promise<PayoutReconcileResult>, {
    what: `payout ${payoutId} of ${tenantId} to finish`,
    timeoutMs,
    intervalMs: 250,
  });
}

/** How many PayoutReconcile runs the payout's workflow id has had (visibility trails by a moment: waits for at least one). */
export function payoutRuns(stack: OrderToCashStack, tenantId: string, processor: ProcessorName, payoutId: string): Promise<number> {
  const query = `WorkflowId = '${payoutReconcileWorkflowId(tenantId, processor, payoutId)}'`;
  return eventually(
    async () => {
      let count = 0;
      for await (const _execution of stack.client.workflow.list({ query })) count++;
      return count;
    },
    { until: (count) => count > 0, what: `visibility to list payout ${payoutId}`, timeoutMs: 10_000, intervalMs: 200 },
  );
}

/** What the Intacct sandbox holds for one payout: its deposits (by deposit id) and journal entries (by reference number). */
export async function intacctStateOfPayout(stack: OrderToCashStack, payoutId: string) {
  const [deposits, batches] = await Promise.all([stack.intacctRecords('DEPOSIT'), stack.intacctRecords('GLBATCH')]);
  return {
    deposits: deposits.filter((deposit) => deposit.DEPOSITID === payoutId),
    journalEntries: batches.filter((batch) => batch.REFERENCENO === payoutId && batch.JOURNAL === 'GJ'),
  };
}
