// Tenant settings, `orderSync`: which orders are posted, when, and to whom; fulfilment and the safety-net sweep.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { flag, identifier, oneOf } from './fields.js';
import {
  adjustmentHandlingSchema,
  currencySchema,
  dimensionRuleSchema,
  documentNumberRuleSchema,
  dueDateRuleSchema,
  paymentsSchema,
  shippingSchema,
  taxSchema,
} from './settings-order-documents.js';

const storefrontStatus = identifier('a storefront status');

const guestOrdersSchema = z
  .strictObject({
    /** Off: guest orders are not synced. On: they are posted to {@link customerId}. */
    enabled: flag('enabled').default(false),
    /** The one Intacct customer every guest order is posted to. */
    customerId: identifier('customerId').optional(),
  })
  .superRefine((guest, context) => {
    if (guest.enabled && guest.customerId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'guest orders are on, so the Intacct customer used for guests is required',
      });
    }
  });

const itemMatchingSchema = z.strictObject({
  storefrontField: oneOf('storefrontField', ['sku', 'productId', 'upc']).default('sku'),
  /** `ITEMID`, `UPC` or the name of an Intacct custom field on the item (upper case, as Intacct names them). */
  intacctField: z
    .string({ error: 'intacctField must be text' })
    .regex(/^[A-Z][A-Z0-9_]*$/, 'intacctField must be ITEMID, UPC or an Intacct custom field name in upper case')
    .default('ITEMID'),
});

/**
 * The shopper's fields a `field` match key can read, as every storefront gives them (on the order
 * and on the store's customer record): the storefront customer id, email, phone and company.
 */
export const shopperMatchFields = ['customerId', 'email', 'phone', 'company'] as const;

/** `matchKey: field`: which of the shopper's fields is looked up in which Intacct CUSTOMER field. */
const matchFieldSchema = z.strictObject({
  shopper: oneOf('matchField.shopper', shopperMatchFields),
  /** A CUSTOMER field as Intacct's query names it: `DISPLAYCONTACT.COMPANYNAME`, or a custom field such as `STORE_ACCOUNT`. */
  intacct: z
    .string({ error: 'matchField.intacct must be text' })
    .regex(
      /^[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)*$/,
      'matchField.intacct must be an Intacct CUSTOMER field name in upper case, e.g. DISPLAYCONTACT.COMPANYNAME',
    ),
});

const customerMatchingSchema = z
  .strictObject({
    matchKey: oneOf('matchKey', ['email', 'customerId', 'phone', 'field', 'none']).default('email'),
    matchField: matchFieldSchema.optional(),
    createWhenNoMatch: flag('createWhenNoMatch').default(true),
  })
  .superRefine((matching, context) => {
    if (matching.matchKey === 'field' && matching.matchField === undefined)
      context.addIssue({
        code: 'custom',
        path: ['matchField'],
        message:
          'matchKey field needs matchField: the shopper field (customerId, email, phone or company) and the Intacct CUSTOMER field it is looked up in',
      });
    if (matching.matchKey !== 'field' && matching.matchField !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['matchField'],
        message: `matchField is read only with matchKey field, not ${matching.matchKey}`,
      });
    // Only the settings are visible here. A tenant whose customers are all listed in the
    // customers mapping table also has a way to resolve them; the admin API checks that table
    // (it owns the store) before accepting these settings.
    if (!matching.createWhenNoMatch && matching.matchKey === 'none') {
      context.addIssue({
        code: 'custom',
        path: ['matchKey'],
        message: 'customers are not created when no match is found, so a match key other than none is required',
      });
    }
  });

const fulfilmentSchema = z.strictObject({
  /** Convert the sales order to {@link invoiceTransactionDefinition} once the order has shipped. */
  convertToInvoice: flag('convertToInvoice').default(false),
  invoiceTransactionDefinition: identifier('invoiceTransactionDefinition').default('Sales Invoice'),
  /** How often a posted order checks Intacct for a shipment recorded there. */
  pollIntacctMinutes: z
    .int({ error: 'pollIntacctMinutes must be a whole number' })
    .min(5, 'pollIntacctMinutes must be at least 5')
    .max(1440, 'pollIntacctMinutes must be at most 1440')
    .default(60),
  /** How long after posting an order is watched for shipment and cancellation before its workflow completes. */
  watchDays: z.int({ error: 'watchDays must be a whole number' }).min(0).max(90, 'watchDays must be at most 90').default(30),
});

/**
 * The safety-net sweep: webhooks can be lost (a storefront gives up after its retries, a
 * deployment drops one), so every tenant's storefront is also asked, on a schedule, which
 * orders changed since the last sweep, and each gets its OrderToCash (a no-op for an order
 * already running or already posted).
 */
const sweepSchema = z.strictObject({
  /** On by default: without it a lost webhook means a missing invoice nobody notices. */
  enabled: flag('enabled').default(true),
  /** How often the sweep runs. Five minutes at the least, to stay well inside the storefronts' API quotas. */
  everyMinutes: z
    .int({ error: 'everyMinutes must be a whole number' })
    .min(5, 'everyMinutes must be at least 5')
    .max(1440, 'everyMinutes must be at most 1440 (a day)')
    .default(15),
  /**
   * How far before the previous sweep's end each sweep starts looking. The overlap covers
   * storefront clocks that lag, modification times written late, and orders changed while the
   * previous sweep was listing; listing an order twice costs one lookup, missing one costs an invoice.
   */
  lookbackMinutes: z
    .int({ error: 'lookbackMinutes must be a whole number' })
    .min(0, 'lookbackMinutes must not be negative')
    .max(10_080, 'lookbackMinutes must be at most 10080 (a week)')
    .default(60),
});

export const orderSyncSchema = z
  .strictObject({
    /**
     * Storefront statuses (BigCommerce status ids, Clarity status names, as strings) at which
     * an order is posted. No schema default: which statuses mean "ready to invoice" depends on
     * the storefront, so {@link defaultTenantSettings} fills them per kind.
     */
    triggerStatuses: z
      .array(storefrontStatus)
      .min(1, 'list at least one storefront status that triggers sync')
      .prefault(() => []),
    /** Statuses at which a posted order is cancelled (compensations run in reverse). */
    cancelStatuses: z.array(storefrontStatus).default(() => []),
    /**
     * What a status in neither list means. The statuses mapping table, when it has a row for
     * a status, wins over both lists and this fallback.
     */
    otherStatusAction: oneOf('otherStatusAction', ['wait', 'ignore']).default('wait'),
    /** How long an order may wait for a triggering status before it is parked for attention. */
    waitForStatusHours: z
      .int({ error: 'waitForStatusHours must be a whole number' })
      .min(0)
      .max(720, 'waitForStatusHours must be at most 720 (30 days)')
      .default(72),
    /** Intacct transaction definition (DOCPARID) created for each order: any name, built-in or tenant-defined. */
    transactionDefinition: identifier('transactionDefinition').default('Sales Order'),
    documentNumberRule: documentNumberRuleSchema.prefault({ kind: 'intacctSequence' }),
    guestOrders: guestOrdersSchema.prefault({}),
    itemMatching: itemMatchingSchema.prefault({}),
    customerMatching: customerMatchingSchema.prefault({}),
    /** Intacct payment term name (e.g. "Net 30"); absent means the customer's own term. */
    defaultPaymentTerm: identifier('defaultPaymentTerm').optional(),
    /** Warehouse for lines whose storefront location has no row in the warehouses mapping table. */
    defaultWarehouseId: identifier('defaultWarehouseId').optional(),
    dueDate: dueDateRuleSchema.prefault({ kind: 'paymentTerm' }),
    adjustments: adjustmentHandlingSchema.prefault({}),
    tax: taxSchema.prefault({}),
    shipping: shippingSchema.prefault({}),
    payments: paymentsSchema.prefault({}),
    dimensionRules: z
      .array(dimensionRuleSchema)
      .default(() => [])
      .superRefine((rules, context) => {
        const seen = new Set<string>();
        for (const [index, rule] of rules.entries()) {
          if (seen.has(rule.dimension)) {
            context.addIssue({
              code: 'custom',
              path: [index, 'dimension'],
              message: `${rule.dimension} has more than one rule; a dimension takes one value`,
            });
          }
          seen.add(rule.dimension);
        }
      }),
    currency: currencySchema.prefault({}),
    fulfilment: fulfilmentSchema.prefault({}),
    /**
     * What happens when an order fails for good after some of its documents exist: `park`
     * keeps them and waits for an operator; `unwind` runs the compensations (reverse the
     * payment, cancel the document) first, then parks.
     */
    onPermanentFailure: oneOf('onPermanentFailure', ['park', 'unwind']).default('park'),
    sweep: sweepSchema.prefault({}),
  })
  .superRefine((orderSync, context) => {
    const triggers = new Set(orderSync.triggerStatuses);
    for (const [index, status] of orderSync.cancelStatuses.entries()) {
      if (triggers.has(status)) {
        context.addIssue({
          code: 'custom',
          path: ['cancelStatuses', index],
          message: `status "${status}" cannot both trigger sync and cancel`,
        });
      }
    }
  });

/** The safety-net sweep's settings (`orderSync.sweep`). */
export type SweepSettings = z.output<typeof sweepSchema>;
