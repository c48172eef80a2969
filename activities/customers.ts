import { log } from '@temporalio/activity';
import {
  createCustomer,
  findCustomerById,
  findCustomersByEmail,
  findCustomersByField,
  IntacctAlreadyRecordedError,
  IntacctInputError,
  type IntacctClient,
  type IntacctCustomer,
} from '../connectors/intacct/index.js';
import type { OrderBuyer } from '../mappers/order-views.js';
import {
  customerMappingKeyOf,
  intacctCustomerIdFor,
  shopperFieldValue,
  shopperKeysOf,
  toIntacctCustomer,
  type ShopperKeys,
} from '../mappers/customer-record.js';
import type { TenantSettings } from '../store/schemas/settings.js';
import { sandboxGuestMappingKeyRing } from '../config/index.js';
import { GuestMappingKeys } from '../store/guest-mapping-keys.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';
import { readMappingRow, rememberMappingRow } from './mapping-rows.js';
import type { CustomerResolution, OrderToCashActivities } from '../workflows/order-to-cash-contract.js';
import type { AttentionNotice } from '../workflows/shared-contract.js';

/** Who wrote a customers mapping row the product learned by itself (as opposed to an operator). */
export const rememberedBy = 'order-to-cash';

/** The CUSTOMER field a `phone` match key searches. */
const phoneField = 'DISPLAYCONTACT.PHONE1';

/** Intacct's answer to a CUSTOMERID that is taken: BL34000061 "Another Customer with the given value(s) … already exists". */
function isDuplicateCustomerId(error: unknown): error is IntacctInputError {
  return (
    error instanceof IntacctInputError &&
    error.errors.some((detail) => detail.errorno === 'BL34000061' || /already exists/i.test(`${detail.description} ${detail.description2}`))
  );
}

const isActive = (customer: IntacctCustomer) => customer.status.trim().toLowerCase() === 'active';

function distinct(customers: readonly IntacctCustomer[]): IntacctCustomer[] {
  return [...new Map(customers.map((customer) => [customer.customerId, customer])).values()];
}

/** How the tenant matches shoppers to existing Intacct customers (`orderSync.customerMatching`). */
export type CustomerMatching = Pick<TenantSettings['orderSync']['customerMatching'], 'matchKey' | 'matchField'>;

/** With `matchKey: field`: the Intacct field to look in and the shopper's value for it, when the order has one. */
function fieldMatch({ matchField }: CustomerMatching, keys: ShopperKeys): { intacct: string; value: string } | undefined {
  if (matchField === undefined) return undefined;
  const value = shopperFieldValue(keys, matchField.shopper);
  return value === undefined ? undefined : { intacct: matchField.intacct, value };
}

/** What the match key looked for, in an operator's words. */
function matchedBy(matching: CustomerMatching, keys: ShopperKeys, intacctId: string | undefined): string {
  const { matchKey, matchField } = matching;
  switch (matchKey) {
    case 'field': {
      const match = fieldMatch(matching, keys);
      return match === undefined
        ? `the shopper (matched by ${matchField?.shopper ?? 'a field'}, but the order has none)`
        : `${matchField?.shopper} ${match.value} in Intacct's ${match.intacct}`;
    }
    case 'email':
      return keys.email === undefined ? 'the shopper (matched by email, but the order has no email)' : `email ${keys.email}`;
    case 'customerId':
      return intacctId === undefined
        ? 'the shopper (matched by customer id, but the order has neither customer id nor email)'
        : `customer id ${intacctId}`;
    case 'phone':
      return keys.phone === undefined ? 'the shopper (matched by phone, but the order has no phone)' : `phone ${keys.phone}`;
    case 'none':
      return 'the shopper (customer matching is off: matchKey is none)';
  }
}

function shopperLabel(keys: ShopperKeys): string {
  if (keys.storefrontCustomerId !== undefined)
    return `storefront customer ${keys.storefrontCustomerId}${keys.email === undefined ? '' : ` (${keys.email})`}`;
  return keys.email === undefined ? 'a shopper without customer id or email' : `shopper ${keys.email}`;
}

function addMappingRowFix(keys: ShopperKeys): string {
  const key = customerMappingKeyOf(keys);
  const row = key === undefined ? 'a row' : `a row with storefrontCustomer "${key}"`;
  return `add ${row} to the customers mapping table naming the Intacct customer (intacctCustomerId) to post to, then retry the order`;
}

/** The Intacct customers the tenant's match key finds: one lookup, or none when the key has nothing to look up. */
async function lookUp(
  client: IntacctClient,
  matching: CustomerMatching,
  keys: ShopperKeys,
  intacctId: string | undefined,
): Promise<IntacctCustomer[]> {
  switch (matching.matchKey) {
    case 'field': {
      const match = fieldMatch(matching, keys);
      return match === undefined ? [] : findCustomersByField(client, match.intacct, match.value);
    }
    case 'email':
      return keys.email === undefined ? [] : findCustomersByEmail(client, keys.email);
    case 'customerId': {
      if (intacctId === undefined) return [];
      const customer = await findCustomerById(client, intacctId);
      return customer === undefined ? [] : [customer];
    }
    case 'phone':
      return keys.phone === undefined ? [] : findCustomersByField(client, phoneField, keys.phone);
    case 'none':
      return [];
  }
}

/** What the tenant's match key found for a shopper among existing Intacct customers. */
export interface ExistingCustomerMatch {
  /** The one active customer to use, when the match is not ambiguous. */
  readonly chosen?: IntacctCustomer;
  /** Every active customer found. */
  readonly active: readonly IntacctCustomer[];
  /** Every customer found, active or not. */
  readonly found: readonly IntacctCustomer[];
  /** The id this tenant creates the shopper's customer under, when it has one. */
  readonly intacctId?: string;
}

/**
 * The existing Intacct customer the tenant's match key (`orderSync.customerMatching.matchKey`)
 * finds for a shopper: one lookup. Several active matches are ambiguous unless one of them is
 * the customer this tenant creates for this very shopper (its deterministic id): two storefronts
 * posting into one company can each create theirs at the same moment, and neither should then
 * park its shopper's orders.
 */
export async function findExistingCustomer(
  client: IntacctClient,
  matching: CustomerMatching,
  storefront: OrderBuyer['storefront'],
  keys: ShopperKeys,
): Promise<ExistingCustomerMatch> {
  const intacctId = intacctCustomerIdFor(storefront, keys);
  const found = distinct(await lookUp(client, matching, keys, intacctId));
  const active = found.filter(isActive);
  const chosen = active.length === 1 ? active[0] : active.find((customer) => customer.customerId === intacctId);
  return { ...(chosen !== undefined && { chosen }), active, found, ...(intacctId !== undefined && { intacctId }) };
}

/**
 * The customers mapping table as the product reads and writes its own links: a shopper is found
 * by storefront customer id, then by email (or its keyed hash, how guests are stored); a link the
 * product learns is remembered under the storefront customer id, else the email's keyed hash,
 * as learned ({@link rememberedBy}), so a stale one is forgotten like an order's.
 */
export function customerLinks(deps: ActivityDependencies) {
  const guestKeys = deps.guestMappingKeys ?? new GuestMappingKeys(sandboxGuestMappingKeyRing());
  return {
    linkedCustomer: async (tenantId: string, keys: ShopperKeys): Promise<string | undefined> => {
      const candidates = [
        ...(keys.storefrontCustomerId === undefined ? [] : [keys.storefrontCustomerId]),
        ...(keys.email === undefined ? [] : guestKeys.candidates(keys.email)),
      ];
      for (const key of candidates) {
        const row = await readMappingRow(deps.db, tenantId, 'customers', key);
        if (row !== undefined) return row.intacctCustomerId;
      }
      return undefined;
    },
    // A shopper known only by email is remembered under the email's keyed hash, never the email.
    remember: async (tenantId: string, keys: ShopperKeys, intacctCustomerId: string): Promise<void> => {
      const key = customerMappingKeyOf(keys);
      if (key === undefined) return;
      const storefrontCustomer = guestKeys.storedKey(key);
      await rememberMappingRow(deps.db, tenantId, 'customers', { storefrontCustomer, intacctCustomerId }, rememberedBy);
    },
  };
}

/**
 * `resolveCustomer`: the Intacct customer an order is posted to. In order: the customers mapping
 * table (by storefront customer id, then email; an operator's row wins, for guests too); the
 * tenant's guest customer for guest orders; one active Intacct customer found by the tenant's
 * match key (of several, the one under the shopper's own deterministic id); a customer created
 * for the shopper. Matches and creations are remembered in the
 * mapping table, so the shopper's next order costs no Intacct transaction. Anything an
 * operator must decide comes back as an attention notice, not a failure.
 */
export function createCustomerActivities(deps: ActivityDependencies): Pick<OrderToCashActivities, 'resolveCustomer'> {
  const { linkedCustomer: mappedCustomer, remember } = customerLinks(deps);

  async function resolveCustomer({ tenantId, order }: { tenantId: string; order: OrderBuyer }): Promise<CustomerResolution> {
    const connection = await deps.connections.forTenant(tenantId);
    const { guestOrders, customerMatching, defaultPaymentTerm } = connection.settings.orderSync;
    const keys = shopperKeysOf(order, { company: customerMatching.matchField?.shopper === 'company' });

    const mapped = await mappedCustomer(tenantId, keys);
    if (mapped !== undefined) return { resolved: true, customerId: mapped, source: 'mapping' };

    if (order.customer.kind === 'guest') {
      if (guestOrders.enabled && guestOrders.customerId !== undefined)
        return { resolved: true, customerId: guestOrders.customerId, source: 'guest' };
      return {
        resolved: false,
        attention: {
          code: 'guest_customer_not_configured',
          reason: `order ${order.orderId} is a guest order and ${guestOrders.enabled ? 'no Intacct customer is set for guest orders' : 'guest orders are off'}`,
          fix: "turn guest orders on and set the Intacct customer used for guests (orderSync.guestOrders), or map the shopper's email in the customers mapping table, then retry the order",
          details: {
            guestOrders: {
              enabled: guestOrders.enabled,
              ...(guestOrders.customerId !== undefined && { customerId: guestOrders.customerId }),
            },
            ...(keys.email !== undefined && { email: keys.email }),
          },
        },
      };
    }

    const client = await connection.intacct();
    const { chosen, active, found, intacctId } = await findExistingCustomer(client, customerMatching, order.storefront, keys);
    if (chosen !== undefined) {
      await remember(tenantId, keys, chosen.customerId);
      return { resolved: true, customerId: chosen.customerId, source: 'matched' };
    }
    if (active.length > 1) {
      const candidates = active.map((customer) => customer.customerId).sort();
      return {
        resolved: false,
        attention: {
          code: 'customer_ambiguous',
          reason: `${active.length} active Intacct customers match ${matchedBy(customerMatching, keys, intacctId)}: ${candidates.join(', ')}`,
          fix: `choose one: ${addMappingRowFix(keys)} (or make the duplicates inactive in Intacct)`,
          details: { candidates, matchKey: customerMatching.matchKey, ...keys },
        },
      };
    }

    const inactiveMatches = found.map((customer) => customer.customerId).sort();
    const notFound = (reason: string, extra: Record<string, unknown> = {}): CustomerResolution => ({
      resolved: false,
      attention: {
        code: 'customer_not_found',
        reason,
        fix: addMappingRowFix(keys),
        details: { matchKey: customerMatching.matchKey, ...keys, ...(inactiveMatches.length > 0 && { inactiveMatches }), ...extra },
      },
    });
    const inactiveNote = inactiveMatches.length > 0 ? ` (only inactive customers match: ${inactiveMatches.join(', ')})` : '';
    if (!customerMatching.createWhenNoMatch) {
      return notFound(
        `no active Intacct customer matches ${matchedBy(customerMatching, keys, intacctId)}${inactiveNote}, and customers are not created when none matches (orderSync.customerMatching.createWhenNoMatch is off)`,
      );
    }
    if (intacctId === undefined) {
      return notFound(
        `no active Intacct customer matches ${shopperLabel(keys)}${inactiveNote}, and a customer cannot be created for a shopper with neither customer id nor email`,
      );
    }
    return createFor(tenantId, order, keys, intacctId, defaultPaymentTerm, client);
  }

  /**
   * Creates the shopper's customer under its deterministic id with a control id stable across
   * retries (`createOnce`): a replay of a committed create resolves to the same customer in the
   * connector, and an id already taken (an earlier run, another worker) is read back and used
   * when it is the same shopper.
   */
  async function createFor(
    tenantId: string,
    order: OrderBuyer,
    keys: ShopperKeys,
    intacctId: string,
    paymentTerm: string | undefined,
    client: IntacctClient,
  ): Promise<CustomerResolution> {
    try {
      const { customer, created } = await createOnce(client, toIntacctCustomer(order, intacctId, { paymentTerm }), tenantId);
      await remember(tenantId, keys, customer.customerId);
      log.info('Intacct customer created for shopper', { tenantId, orderId: order.orderId, customerId: customer.customerId, created });
      return { resolved: true, customerId: customer.customerId, source: 'created' };
    } catch (error) {
      if (!isDuplicateCustomerId(error)) throw error;
      const existing = await findCustomerById(client, intacctId);
      if (existing === undefined) throw error;
      const conflict = takenIdConflict(existing, keys);
      if (conflict !== undefined) return { resolved: false, attention: conflict };
      await remember(tenantId, keys, existing.customerId);
      return { resolved: true, customerId: existing.customerId, source: 'created' };
    }
  }

  return { resolveCustomer: withConnectorFailures(resolveCustomer) };
}

/** How often one shopper's customer is created again after being deleted in Intacct, before a person is asked. */
const maxCustomerGenerations = 10;

/**
 * Creates the customer under a control id stable across retries. A customer this tenant created
 * that a person deleted in Intacct since leaves its control id recorded, and Intacct refuses a
 * recorded id for good; so its next creation takes the next id (`…:2`, `…:3`). Every id is
 * stable, so a retried attempt lands on the same customer through the connector's "already
 * recorded" answer.
 */
async function createOnce(
  client: IntacctClient,
  input: Parameters<typeof createCustomer>[1],
  tenantId: string,
): ReturnType<typeof createCustomer> {
  for (let generation = 1; ; generation += 1) {
    const controlId = `customer-create:${tenantId}:${input.customerId}${generation === 1 ? '' : `:${generation}`}`;
    try {
      return await createCustomer(client, input, controlId);
    } catch (error) {
      const recordedButGone = error instanceof IntacctInputError && error.cause instanceof IntacctAlreadyRecordedError;
      if (!recordedButGone || generation >= maxCustomerGenerations) throw error;
    }
  }
}

/**
 * Why an existing customer under the shopper's deterministic id cannot simply be used: it is
 * inactive, or its email says it is someone else (created by hand, or a hash collision).
 */
function takenIdConflict(existing: IntacctCustomer, keys: ShopperKeys): AttentionNotice | undefined {
  const fix = addMappingRowFix(keys);
  if (!isActive(existing)) {
    return {
      code: 'customer_inactive',
      reason: `Intacct customer ${existing.customerId}, the id this shopper's customer is created under, exists but is ${existing.status || 'not active'}`,
      fix: `make customer ${existing.customerId} active in Intacct, or ${fix}`,
      details: { customerId: existing.customerId, status: existing.status, ...keys },
    };
  }
  const existingEmail = existing.email.trim().toLowerCase();
  if (keys.email !== undefined && existingEmail !== '' && existingEmail !== keys.email) {
    return {
      code: 'customer_id_taken',
      reason: `Intacct customer ${existing.customerId}, the id this shopper's customer is created under, already belongs to ${existingEmail}, not ${keys.email}`,
      fix,
      details: { customerId: existing.customerId, existingEmail, ...keys },
    };
  }
  return undefined;
}
