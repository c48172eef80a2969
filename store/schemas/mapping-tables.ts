import { z } from 'zod';
import { flag, identifier, oneOf } from './fields.js';
import { dimensionNames } from './settings.js';

/**
 * Row schemas of a tenant's mapping tables: the manual lookups the mappers take as arguments.
 * Each table has one key field; a row is created, replaced, exported and deduplicated by it.
 * Rows are strict so a misspelt column in a JSON body is refused, as in the CSV import.
 */

/** A storefront SKU → the Intacct item it is posted as. */
export const itemMappingRowSchema = z.strictObject({
  storefrontSku: identifier('storefrontSku'),
  intacctItemId: identifier('intacctItemId'),
  /** Intacct unit of measure (e.g. "Each", "Case"); absent means the item's default unit. */
  unit: identifier('unit').optional(),
  /** Intacct warehouse for this item's lines; absent means the order's warehouse. */
  warehouseId: identifier('warehouseId').optional(),
});

/**
 * A storefront customer → the Intacct customer their orders are posted to. The key is the
 * storefront customer id or, for shoppers without an account, their email address. Emails
 * are stored in lower case because storefronts do not preserve the case a shopper typed.
 */
export const customerMappingRowSchema = z.strictObject({
  storefrontCustomer: identifier('storefrontCustomer').overwrite((value) => (value.includes('@') ? value.toLowerCase() : value)),
  intacctCustomerId: identifier('intacctCustomerId'),
});

/** A storefront payment method → where its receipts land in Intacct. */
export const paymentMethodMappingRowSchema = z
  .strictObject({
    /** The method's name as it appears on storefront orders (e.g. "Credit Card", "stripe"). */
    paymentMethod: identifier('paymentMethod'),
    /** A GL account number; with `undepositedFunds` it names the undeposited-funds account. */
    glAccountNo: identifier('glAccountNo').optional(),
    undepositedFunds: flag('undepositedFunds').default(false),
    /** An Intacct cash (bank) account id receipts are deposited to directly. */
    bankAccountId: identifier('bankAccountId').optional(),
  })
  .superRefine((row, context) => {
    if (row.undepositedFunds && row.bankAccountId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['bankAccountId'],
        message: 'a payment goes to undeposited funds or to a bank account, not both',
      });
    }
    if (!row.undepositedFunds && row.glAccountNo === undefined && row.bankAccountId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['glAccountNo'],
        message: 'name a glAccountNo or a bankAccountId, or set undepositedFunds to true',
      });
    }
  });

/** What the workflow does with an order in a storefront status. */
export const statusActions = ['sync', 'wait', 'cancel', 'ignore'] as const;

/** A storefront status → what happens to an order in it; overrides the settings' status lists. */
export const statusMappingRowSchema = z.strictObject({
  /** BigCommerce status id or Clarity status name, as a string. */
  storefrontStatus: identifier('storefrontStatus'),
  action: oneOf('action', statusActions),
});

/**
 * A storefront value → the Intacct dimension ids it stands for. Which value is looked up for
 * a dimension is the settings' dimension rule for that dimension (an order attribute, the
 * channel, the customer group); settings allow one rule per dimension, so one row per value
 * with a column per dimension is unambiguous.
 */
export const dimensionMappingRowSchema = z
  .strictObject({
    storefrontValue: identifier('storefrontValue'),
    department: identifier('department').optional(),
    location: identifier('location').optional(),
    project: identifier('project').optional(),
    class: identifier('class').optional(),
  })
  .superRefine((row, context) => {
    if (dimensionNames.every((dimension) => row[dimension] === undefined)) {
      context.addIssue({ code: 'custom', path: ['department'], message: `give at least one of ${dimensionNames.join(', ')}` });
    }
  });

/**
 * Order-level amounts that can be posted as lines of their own. `taxRounding` takes the
 * difference between the store's order tax and the sum of its per-line (or per-rate) taxes, so
 * that it is named in the books instead of lost.
 */
export const adjustmentKinds = ['shipping', 'discount', 'tax', 'handling', 'giftWrapping', 'taxRounding'] as const;

/** An order-level amount → the Intacct item its line is posted with. */
export const adjustmentItemRowSchema = z.strictObject({
  kind: oneOf('kind', adjustmentKinds),
  intacctItemId: identifier('intacctItemId'),
});

/** A storefront location (inventory location, fulfilment location) → an Intacct warehouse. */
export const warehouseMappingRowSchema = z.strictObject({
  storefrontLocationId: identifier('storefrontLocationId'),
  intacctWarehouseId: identifier('intacctWarehouseId'),
});

/** A storefront shipping method (as orders name it) → the Intacct shipping method (`shippingmethod`). */
export const shippingMethodMappingRowSchema = z.strictObject({
  storefrontMethod: identifier('storefrontMethod'),
  intacctShippingMethod: identifier('intacctShippingMethod'),
});

/**
 * A storefront tax (its name on the order, e.g. "VAT 20%" or "Texas State Tax") → how it is
 * posted: the Intacct tax detail of each line's tax entry (tax handling `perLine`), and the item
 * of its tax line (tax handling `perJurisdiction`; absent: the "tax" adjustment item).
 */
export const taxRateMappingRowSchema = z
  .strictObject({
    storefrontTax: identifier('storefrontTax'),
    intacctTaxDetailId: identifier('intacctTaxDetailId').optional(),
    intacctItemId: identifier('intacctItemId').optional(),
  })
  .superRefine((row, context) => {
    if (row.intacctTaxDetailId === undefined && row.intacctItemId === undefined) {
      context.addIssue({ code: 'custom', path: ['intacctTaxDetailId'], message: 'give intacctTaxDetailId, intacctItemId or both' });
    }
  });

/** Every mapping table, in the order the portal lists them. */
export const mappingTableNames = [
  'items',
  'customers',
  'paymentMethods',
  'statuses',
  'dimensionRules',
  'adjustmentItems',
  'warehouses',
  'shippingMethods',
  'taxRates',
] as const;

/** The name of one mapping table. */
export type MappingTableName = (typeof mappingTableNames)[number];

/** How one mapping table is validated, keyed and written as CSV. */
export interface MappingTableDefinition<Schema extends z.ZodObject = z.ZodObject> {
  rowSchema: Schema;
  /** The column that identifies a row; unique within a tenant's table. */
  keyField: string;
  /** CSV header, in the order export writes it; the key field comes first. */
  csvColumns: readonly string[];
  /** Columns holding true/false, decoded from CSV text before validation. */
  booleanColumns: readonly string[];
}

function table<Schema extends z.ZodObject>(
  rowSchema: Schema,
  keyField: keyof z.output<Schema> & string,
  booleanColumns: readonly string[] = [],
): MappingTableDefinition<Schema> {
  return { rowSchema, keyField, csvColumns: Object.keys(rowSchema.shape), booleanColumns };
}

/** Every mapping table's definition, by name. */
export const mappingTableSchemas = {
  items: table(itemMappingRowSchema, 'storefrontSku'),
  customers: table(customerMappingRowSchema, 'storefrontCustomer'),
  paymentMethods: table(paymentMethodMappingRowSchema, 'paymentMethod', ['undepositedFunds']),
  statuses: table(statusMappingRowSchema, 'storefrontStatus'),
  dimensionRules: table(dimensionMappingRowSchema, 'storefrontValue'),
  adjustmentItems: table(adjustmentItemRowSchema, 'kind'),
  warehouses: table(warehouseMappingRowSchema, 'storefrontLocationId'),
  shippingMethods: table(shippingMethodMappingRowSchema, 'storefrontMethod'),
  taxRates: table(taxRateMappingRowSchema, 'storefrontTax'),
} as const satisfies Record<MappingTableName, MappingTableDefinition>;

/** A validated row of the named table. */
export type MappingRow<Table extends MappingTableName> = z.output<(typeof mappingTableSchemas)[Table]['rowSchema']>;
/** What a caller may send for a row of the named table (defaults may be left out). */
export type MappingRowInput<Table extends MappingTableName> = z.input<(typeof mappingTableSchemas)[Table]['rowSchema']>;

export type ItemMappingRow = MappingRow<'items'>;
export type CustomerMappingRow = MappingRow<'customers'>;
export type PaymentMethodMappingRow = MappingRow<'paymentMethods'>;
export type StatusMappingRow = MappingRow<'statuses'>;
export type DimensionMappingRow = MappingRow<'dimensionRules'>;
export type AdjustmentItemRow = MappingRow<'adjustmentItems'>;
export type WarehouseMappingRow = MappingRow<'warehouses'>;
export type ShippingMethodMappingRow = MappingRow<'shippingMethods'>;
export type TaxRateMappingRow = MappingRow<'taxRates'>;

/** The key a validated row is stored under (its key field's value). */
export function mappingRowKey<Table extends MappingTableName>(tableName: Table, row: MappingRow<Table>): string {
  return String((row as Record<string, unknown>)[mappingTableSchemas[tableName].keyField]);
}
