// Tenant settings, how an order's Intacct documents are built (`orderSync`: due date, adjustments, payments,
// dimensions, currency, document numbers).
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { currencyCode, flag, identifier, oneOf } from './fields.js';
import { orderMetafieldReference } from './settings-rules.js';

export const dueDateRuleSchema = z.discriminatedUnion(
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

export const adjustmentHandlingSchema = z.strictObject({
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
  /** Gift wrapping: a line of the "giftWrapping" adjustment item, or spread over the product lines. */
  giftWrapping: oneOf('giftWrapping', ['separateLine', 'allocateToLines']).default('separateLine'),
  /**
   * `separateLine`: the storefront's tax as one tax item line. `perLine`: each line carries the
   * tax the store computed for it as Intacct line tax detail (tax entries of the tenant's tax
   * solution, {@link taxSchema}; the taxRates table names each rate's tax detail).
   * `perJurisdiction`: one tax line per storefront tax (jurisdiction or rate), of the item the
   * taxRates table names, else the "tax" adjustment item. `intacctCalculates`: no tax is sent;
   * Intacct's tax engine computes it. With `perLine` and `perJurisdiction` a difference between
   * the store's order tax and the sum of its line taxes is a line of the "taxRounding" item.
   */
  tax: oneOf('tax', ['separateLine', 'perLine', 'perJurisdiction', 'intacctCalculates']).default('separateLine'),
});

/** How store-computed tax is posted as Intacct line tax detail (`adjustments.tax` `perLine`). */
export const taxSchema = z.strictObject({
  /** The Intacct tax solution the document's tax entries belong to (e.g. "Standard Tax", "United Kingdom - VAT"). */
  solutionId: identifier('solutionId').optional(),
  /** The tax detail for a line the store taxed without naming the tax (no breakdown by rate). */
  defaultTaxDetailId: identifier('defaultTaxDetailId').optional(),
});

/** Shipping method and consignments (several ship-to addresses on one order). */
export const shippingSchema = z.strictObject({
  /** The Intacct shipping method for storefront methods without a row in the shippingMethods table; absent: none is sent. */
  defaultMethod: identifier('defaultMethod').optional(),
  /**
   * An order shipped to several addresses: `firstAddress` posts the first as the document's
   * ship-to (lines to the others are not told apart); `lineShipTo` gives each line its own
   * ship-to (Intacct refuses it when the transaction definition does not enable line-level
   * ship-to, and the order is parked with its message); `park` parks such orders for attention.
   */
  consignments: oneOf('consignments', ['firstAddress', 'lineShipTo', 'park']).default('firstAddress'),
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

export const paymentsSchema = z
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
 * looked up in the dimensionRules mapping table. `orderMetafield`: `value` names a BigCommerce
 * order metafield as `namespace.key`, looked up the same way (the order's metafields are read
 * only for tenants whose settings name one). `storefrontChannel` and `customerGroup`:
 * the order's channel id or customer group, looked up the same way; `value` is not used.
 */
export const dimensionSources = ['constant', 'orderAttribute', 'orderMetafield', 'storefrontChannel', 'customerGroup'] as const;

export const dimensionRuleSchema = z
  .strictObject({
    dimension: oneOf('dimension', dimensionNames),
    from: oneOf('from', dimensionSources),
    value: identifier('value').optional(),
  })
  .superRefine((rule, context) => {
    if ((rule.from === 'constant' || rule.from === 'orderAttribute' || rule.from === 'orderMetafield') && rule.value === undefined) {
      const what = {
        constant: 'the Intacct id',
        orderAttribute: 'the order attribute name',
        orderMetafield: 'the metafield as namespace.key',
      }[rule.from];
      context.addIssue({ code: 'custom', path: ['value'], message: `${rule.from} rules need value (${what})` });
    }
    if (rule.from === 'orderMetafield' && rule.value !== undefined) {
      const reference = orderMetafieldReference.safeParse(rule.value);
      if (!reference.success) context.addIssue({ code: 'custom', path: ['value'], message: reference.error.issues[0]!.message });
    }
  });

export const currencySchema = z.strictObject({
  /** The Intacct company's (or entity's) base currency. */
  baseCurrency: currencyCode('baseCurrency').default('USD'),
  /** The currency orders are expected in; absent means each order's own currency. */
  orderCurrency: currencyCode('orderCurrency').optional(),
  /** Intacct exchange rate type used when the order currency differs from the base. */
  exchangeRateType: identifier('exchangeRateType').default('Intacct Daily Rate'),
});

export const documentNumberRuleSchema = z.discriminatedUnion(
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

/** Where a payment's money lands in Intacct (GL account, bank account or undeposited funds). */
export type PaymentAccount = z.output<typeof paymentAccountSchema>;
/** One dimension rule of {@link TenantSettings}. */
export type DimensionRule = z.output<typeof dimensionRuleSchema>;
