import { z } from 'zod';
import { checkCronExpression } from './cron.js';
import { currencyCode, flag, formatPath, httpUrl, identifier, isValidTimeZone, oneOf } from './fields.js';

export { settingsDiff, type SettingsChange } from './settings-diff.js';

/**
 * A tenant's settings: the union of what the commercial connectors let a merchant configure
 * (docs/architecture.md "Tenant settings"), except credentials, which are stored apart and encrypted.
 * Everything here is safe to log, show in the portal and keep in the versioned history.
 *
 * Objects are strict: a misspelt key ("guestOrder") is refused rather than silently dropped,
 * because a dropped setting would fall back to its default and post documents differently.
 */

/** The real Intacct XML gateway; tenants on the sandbox override it. */
export const intacctGatewayUrl = 'https://api.intacct.com/ia/xml/xmlgw.phtml';
/** The real BigCommerce API host; the sandbox overrides it. */
export const bigCommerceApiUrl = 'https://api.bigcommerce.com';

const storefrontStatus = identifier('a storefront status');

const bigCommerceConnectionSchema = z.strictObject({
  kind: z.literal('bigcommerce'),
  storeHash: identifier('storeHash').regex(/^[a-z0-9]+$/, 'storeHash is the lower-case letters and digits in the store API path'),
  apiBaseUrl: httpUrl('apiBaseUrl').default(bigCommerceApiUrl),
});

const clarityConnectionSchema = z.strictObject({
  kind: z.literal('clarity'),
  /** Where the Clarity API lives, e.g. `https://shop.example.com/api/v1`; the token endpoint hangs off it. */
  baseUrl: httpUrl('baseUrl'),
});

/** The non-secret connection identifiers: storefront kind and ids, Intacct company, entity and endpoint. */
export const connectionSettingsSchema = z.strictObject(
  {
    storefront: z.discriminatedUnion('kind', [bigCommerceConnectionSchema, clarityConnectionSchema], {
      error: 'storefront.kind must be bigcommerce or clarity',
    }),
    intacct: z.strictObject({
      companyId: identifier('companyId'),
      /** Entity (location) id of a multi-entity company; absent means the top level. */
      entityId: identifier('entityId').optional(),
      endpointUrl: httpUrl('endpointUrl').default(intacctGatewayUrl),
    }),
  },
  {
    error: (issue) =>
      issue.code !== 'invalid_type' ? undefined : issue.input === undefined ? 'connection is required' : 'connection must be an object',
  },
);

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

const customerMatchingSchema = z
  .strictObject({
    matchKey: oneOf('matchKey', ['email', 'customerId', 'phone', 'none']).default('email'),
    createWhenNoMatch: flag('createWhenNoMatch').default(true),
  })
  .superRefine((matching, context) => {
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

const dueDateRuleSchema = z.discriminatedUnion(
  'kind',
  [
    /** Intacct computes the due date from the payment term. */
    z.strictObject({ kind: z.literal('paymentTerm') }),
    z.strictObject({
      kind: z.literal('daysAfterOrder'),
      days: z.int({ error: 'days must be a whole number' }).min(0, 'days must not be negative').max(3650, 'days must be at most 3650'),
    }),
  ],
  { error: 'dueDate.kind must be paymentTerm or daysAfterOrder' },
);

const adjustmentHandlingSchema = z.strictObject({
  /**
   * `separateLine`: one line with the tenant's adjustment item of that kind (adjustmentItems
   * mapping table). `allocateToLines`: spread over the product lines by largest remainder
   * (docs/architecture.md "Money"), so no extra item is needed.
   */
  shipping: oneOf('shipping', ['separateLine', 'allocateToLines']).default('separateLine'),
  handling: oneOf('handling', ['separateLine', 'allocateToLines']).default('separateLine'),
  /**
   * `subtotal` (default): one header subtotal named {@link discountSubtotal}, negative, as
   * Intacct takes discounts (a sales line has no discount amount, and line prices may not be
   * negative). `separateLine`: a line of the discount adjustment item at a negative price, only
   * for definitions that allow it. `allocateToLines`: spread over the product lines.
   */
  discount: oneOf('discount', ['subtotal', 'separateLine', 'allocateToLines']).default('subtotal'),
  /** The discount subtotal's description: it must name a subtotal configured on the transaction definition. */
  discountSubtotal: identifier('discountSubtotal').default('Discount'),
  /**
   * `separateLine`: the storefront's tax as one tax item line. `perLine`: each line carries its
   * own tax (needs the transaction definition's line-level tax flags). `intacctCalculates`: no
   * tax is sent; Intacct's tax engine computes it.
   */
  tax: oneOf('tax', ['separateLine', 'perLine', 'intacctCalculates']).default('separateLine'),
});

/** Where a payment's money lands in Intacct. */
const paymentAccountSchema = z
  .strictObject({
    /** A GL account number; with `undepositedFunds` it names the undeposited-funds account. */
    glAccountNo: identifier('glAccountNo').optional(),
    undepositedFunds: flag('undepositedFunds').default(false),
    /** An Intacct cash (bank) account id receipts are deposited to directly. */
    bankAccountId: identifier('bankAccountId').optional(),
  })
  .superRefine((account, context) => {
    if (account.undepositedFunds && account.bankAccountId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['bankAccountId'],
        message: 'a payment goes to undeposited funds or to a bank account, not both',
      });
    }
    if (!account.undepositedFunds && account.glAccountNo === undefined && account.bankAccountId === undefined) {
      context.addIssue({ code: 'custom', path: [], message: 'name a glAccountNo or a bankAccountId, or set undepositedFunds' });
    }
  });

const paymentMethodAccountSchema = z.strictObject({
  /** The storefront's payment method name as it appears on orders (e.g. "Credit Card", "stripe"). */
  method: identifier('method'),
  /** Absent: the payment goes to the named default account. */
  account: paymentAccountSchema.optional(),
});

const paymentsSchema = z
  .strictObject({
    /** The named default account: used for methods listed without an account and for unlisted methods. */
    defaultAccount: paymentAccountSchema.optional(),
    methods: z.array(paymentMethodAccountSchema).default(() => []),
  })
  .superRefine((payments, context) => {
    const seen = new Set<string>();
    for (const [index, entry] of payments.methods.entries()) {
      if (seen.has(entry.method)) {
        context.addIssue({
          code: 'custom',
          path: ['methods', index, 'method'],
          message: `payment method "${entry.method}" is listed twice`,
        });
      }
      seen.add(entry.method);
      if (entry.account === undefined && payments.defaultAccount === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['methods', index, 'account'],
          message: `payment method "${entry.method}" has no account and there is no default account to fall back to`,
        });
      }
    }
  });

/** Intacct dimensions a rule can fill on the document lines. */
export const dimensionNames = ['department', 'location', 'project', 'class'] as const;

/**
 * Where a dimension's value comes from. `constant`: `value` is the Intacct id.
 * `orderAttribute`: `value` names the order attribute (field or custom field) whose value is
 * looked up in the dimensionRules mapping table. `storefrontChannel` and `customerGroup`:
 * the order's channel id or customer group, looked up the same way; `value` is not used.
 */
export const dimensionSources = ['constant', 'orderAttribute', 'storefrontChannel', 'customerGroup'] as const;

const dimensionRuleSchema = z
  .strictObject({
    dimension: oneOf('dimension', dimensionNames),
    from: oneOf('from', dimensionSources),
    value: identifier('value').optional(),
  })
  .superRefine((rule, context) => {
    if ((rule.from === 'constant' || rule.from === 'orderAttribute') && rule.value === undefined) {
      const what = rule.from === 'constant' ? 'the Intacct id' : 'the order attribute name';
      context.addIssue({ code: 'custom', path: ['value'], message: `${rule.from} rules need value (${what})` });
    }
  });

const currencySchema = z.strictObject({
  /** The Intacct company's (or entity's) base currency. */
  baseCurrency: currencyCode('baseCurrency').default('USD'),
  /** The currency orders are expected in; absent means each order's own currency. */
  orderCurrency: currencyCode('orderCurrency').optional(),
  /** Intacct exchange rate type used when the order currency differs from the base. */
  exchangeRateType: identifier('exchangeRateType').default('Intacct Daily Rate'),
});

const documentNumberRuleSchema = z.discriminatedUnion(
  'kind',
  [
    /** The transaction definition numbers the document itself. */
    z.strictObject({ kind: z.literal('intacctSequence') }),
    /** The document number is the storefront order number, optionally prefixed (the definition must allow manual numbering). */
    z.strictObject({
      kind: z.literal('storefrontOrderNumber'),
      prefix: z.string().trim().max(20, 'prefix must be at most 20 characters').default(''),
    }),
  ],
  { error: 'documentNumberRule.kind must be intacctSequence or storefrontOrderNumber' },
);

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

const orderSyncSchema = z
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

const inventorySchema = z.strictObject({
  /** Off by default: pushing stock levels overwrites the storefront's, so a merchant turns it on deliberately. */
  enabled: flag('enabled').default(false),
  schedule: z
    .string({ error: 'schedule must be text' })
    .superRefine((expression, context) => {
      const check = checkCronExpression(expression);
      if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
    })
    .default('*/15 * * * *'),
  /** Intacct warehouses whose stock counts; empty means all of them. */
  warehouseIds: z.array(identifier('a warehouse id')).default(() => []),
  /** `onHand`: quantity on hand. `onHandMinusCommitted`: what is not already promised to open orders. */
  availability: oneOf('availability', ['onHand', 'onHandMinusCommitted']).default('onHandMinusCommitted'),
  /** Held back from every SKU's storefront quantity, so the store sells out before the shelf does. */
  safetyStock: z.int({ error: 'safetyStock must be a whole number' }).min(0, 'safetyStock must not be negative').default(0),
  skus: z
    .discriminatedUnion(
      'mode',
      [
        z.strictObject({ mode: z.literal('all') }),
        z.strictObject({ mode: z.literal('list'), skus: z.array(identifier('a SKU')).min(1, 'list at least one SKU') }),
      ],
      {
        error: 'skus.mode must be all or list',
      },
    )
    .prefault({ mode: 'all' }),
});

const returnsSchema = z.strictObject({
  /** Off by default: merchants handle returns in many ways, so turning it on is a choice. */
  enabled: flag('enabled').default(false),
  creditMemoTransactionDefinition: identifier('creditMemoTransactionDefinition').default('Sales Credit Memo'),
  /** Put returned quantities back into stock; kept apart from the refund because exchanges refund without restocking. */
  restock: flag('restock').default(false),
  /** Warehouse returned goods go back to; absent means the line's original warehouse. */
  restockWarehouseId: identifier('restockWarehouseId').optional(),
  /** Item used for a refunded shipping charge; absent means the shipping adjustment item. */
  shippingRefundItemId: identifier('shippingRefundItemId').optional(),
  /**
   * Inventory transaction definition (one that decreases stock) that takes back out what a credit
   * memo booked into stock although it was not restocked: the credit memo definition returns
   * stock on every line with a warehouse.
   */
  stockOffsetTransactionDefinition: identifier('stockOffsetTransactionDefinition').default('Adjustment Decrease'),
  /**
   * A refund of an order not invoiced yet: `reduceOrder` takes it off the sales order's lines;
   * `park` leaves the order alone and asks a person (for books where sales orders are not touched).
   */
  beforeInvoice: oneOf('beforeInvoice', ['reduceOrder', 'park']).default('reduceOrder'),
});

/**
 * The tenant settings schema: accepts a partial document (only `connection` and
 * `orderSync.triggerStatuses` have no default) and yields the full settings.
 */
export const tenantSettingsSchema = z.strictObject({
  connection: connectionSettingsSchema,
  orderSync: orderSyncSchema.prefault({}),
  inventory: inventorySchema.prefault({}),
  returns: returnsSchema.prefault({}),
  /** IANA time zone used for document dates and schedules. */
  timezone: z
    .string({ error: 'timezone must be text' })
    .refine(isValidTimeZone, { message: 'timezone must be an IANA time zone name such as Europe/London' })
    .default('UTC'),
});

/** Full settings, every default applied. */
export type TenantSettings = z.output<typeof tenantSettingsSchema>;
/** What a caller may send: defaults may be left out. */
export type TenantSettingsInput = z.input<typeof tenantSettingsSchema>;
/** The non-secret connection identifiers a tenant is created with. */
export type ConnectionSettingsInput = z.input<typeof connectionSettingsSchema>;
/** Where a payment's money lands in Intacct (GL account, bank account or undeposited funds). */
export type PaymentAccount = z.output<typeof paymentAccountSchema>;
/** One dimension rule of {@link TenantSettings}. */
export type DimensionRule = z.output<typeof dimensionRuleSchema>;
/** The safety-net sweep's settings (`orderSync.sweep`). */
export type SweepSettings = z.output<typeof sweepSchema>;

/** A problem with one setting, addressed by its dotted path (`orderSync.guestOrders.customerId`). */
export interface SettingsError {
  path: string;
  message: string;
}

/** The outcome of {@link parseTenantSettings}. */
export type ParseTenantSettingsResult = { ok: true; settings: TenantSettings } | { ok: false; errors: SettingsError[] };

/** Validates and completes settings, listing every problem found with its path. */
export function parseTenantSettings(input: unknown): ParseTenantSettingsResult {
  const result = tenantSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, errors: settingsErrors(result.error) };
}

function settingsErrors(error: z.ZodError): SettingsError[] {
  return error.issues.flatMap((issue): SettingsError[] => {
    // One entry per unknown key, at the key's own path, so a portal can mark the exact field.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: `${key} is not a known setting` }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/**
 * Statuses that trigger sync and cancel per storefront. BigCommerce ids are fixed (merchants
 * only relabel them): 11 Awaiting Fulfillment and the later paid states 9, 8, 3, 2 and 10;
 * 5 Cancelled. Clarity names its statuses.
 */
const statusDefaults = {
  bigcommerce: { triggerStatuses: ['11', '9', '8', '3', '2', '10'], cancelStatuses: ['5'] },
  clarity: { triggerStatuses: ['processing', 'fulfilled'], cancelStatuses: ['cancelled'] },
} as const satisfies Record<
  ConnectionSettingsInput['storefront']['kind'],
  { triggerStatuses: readonly string[]; cancelStatuses: readonly string[] }
>;

/**
 * The settings a new tenant starts with: every default, plus the storefront's usual
 * "ready to invoice" and "cancelled" statuses. Throws a `ZodError` when the connection
 * itself is invalid (the caller validates it first when it comes from a request).
 */
export function defaultTenantSettings(connection: ConnectionSettingsInput): TenantSettings {
  const statuses = statusDefaults[connection.storefront.kind];
  return tenantSettingsSchema.parse({
    connection,
    orderSync: { triggerStatuses: [...statuses.triggerStatuses], cancelStatuses: [...statuses.cancelStatuses] },
  });
}
