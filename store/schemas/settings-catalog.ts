// Tenant settings, `catalog`: which system owns each item and customer field, the scheduled
// Intacct → store item sync, and what a storefront product whose SKU Intacct lacks becomes.
// Part of the schema in ./settings.ts, which is the module to import settings from.
import { z } from 'zod';
import { checkCronExpression } from './cron.js';
import { flag, identifier, oneOf } from './fields.js';

/** Who owns an item field: its value flows from the owner to the other side; `none` syncs it neither way. */
export const itemFieldOwners = ['intacct', 'storefront', 'none'] as const;
export type ItemFieldOwner = (typeof itemFieldOwners)[number];

/**
 * Who owns a customer field. `lastChange`: whichever side changed it last wins (the conflict
 * rule in mappers/catalog-field-directions.ts), so an edit on either side is never lost.
 */
export const customerFieldOwners = ['intacct', 'storefront', 'lastChange', 'none'] as const;
export type CustomerFieldOwner = (typeof customerFieldOwners)[number];

const itemOwner = (field: string) => oneOf(`${field}`, itemFieldOwners);
const customerOwner = (field: string) => oneOf(`${field}`, customerFieldOwners);

const cron = (label: string) =>
  z.string({ error: `${label} must be text` }).superRefine((expression, context) => {
    const check = checkCronExpression(expression);
    if (!check.ok) context.addIssue({ code: 'custom', message: check.message });
  });

const itemFieldsSchema = z.strictObject({
  /** Product name (a variant has none of its own). */
  name: itemOwner('name').default('intacct'),
  /** Intacct BASEPRICE ↔ the product's (or variant's) price. */
  price: itemOwner('price').default('intacct'),
  /** Intacct STANDARD_COST ↔ the storefront's cost price. */
  cost: itemOwner('cost').default('intacct'),
  /** Intacct STATUS ↔ the product's visibility (a variant: purchasable or not). */
  status: itemOwner('status').default('intacct'),
  /** The store's web description: written for shoppers, so the store keeps it. */
  description: itemOwner('description').default('storefront'),
  images: itemOwner('images').default('storefront'),
});

const itemDefaultsSchema = z.strictObject({
  /** ITEMTYPE of an item created from a storefront product. */
  itemType: oneOf('itemType', ['Inventory', 'Non-Inventory', 'Non-Inventory (Sales only)']).default('Inventory'),
  /** Unit of measure group (Intacct UOMGRP); absent: the company's default. */
  unitOfMeasure: identifier('unitOfMeasure').optional(),
  /** Item GL group (Intacct GLGROUP); absent: none, the company's defaults post it. */
  glGroup: identifier('glGroup').optional(),
  /** Item tax group (Intacct TAXGROUP); absent: none. */
  taxGroup: identifier('taxGroup').optional(),
});

/**
 * Which Intacct items become new BigCommerce products, and how such a product starts. Off by
 * default: a product appears to shoppers, so a merchant turns it on deliberately. Only flagged,
 * active items whose SKU the store lacks are created, once each.
 */
const createInStorefrontSchema = z
  .strictObject({
    enabled: flag('createInStorefront.enabled').default(false),
    /**
     * The Intacct item field that flags an item for the web: a custom field on ITEM, named as
     * Intacct names it (upper case, e.g. `WEB_ENABLED`), or a standard field.
     */
    flagField: z
      .string({ error: 'createInStorefront.flagField must be text' })
      .regex(/^[A-Z][A-Z0-9_]*$/, 'createInStorefront.flagField must be an Intacct item field name in upper case, e.g. WEB_ENABLED')
      .optional(),
    /** The flag field's value meaning "on the web", compared ignoring case and surrounding spaces; `true` suits a check-box custom field. */
    flagValue: identifier('createInStorefront.flagValue').default('true'),
    /** How a created product starts: `hidden` (for someone to add images and a description first) or `visible`. */
    visibility: oneOf('createInStorefront.visibility', ['hidden', 'visible']).default('hidden'),
    /** The BigCommerce category (id) a created product is put in; absent: none. */
    categoryId: z
      .string({ error: 'createInStorefront.categoryId must be text' })
      .regex(/^\d+$/, { error: 'createInStorefront.categoryId must be a BigCommerce category id (digits)' })
      .optional(),
  })
  .superRefine((settings, context) => {
    if (settings.enabled && settings.flagField === undefined)
      context.addIssue({
        code: 'custom',
        path: ['flagField'],
        message:
          'createInStorefront.flagField is required when createInStorefront.enabled is true: name the Intacct item field that flags items for the web',
      });
  });

/**
 * Once a day the price list sync's scheduled run is a full reconciliation: it reads every entry
 * of the mapped lists and deletes the store records Intacct no longer backs (an entry deleted
 * outright, a DATETO passed) and writes those whose DATEFROM arrived, which the modified-since
 * poll never sees.
 */
const priceListReconciliationSchema = z.strictObject({
  /** On by default: without it such records stay until an operator's full run. */
  enabled: flag('enabled').default(true),
  /** The first scheduled run at or after this hour (0–23, the tenant's time zone) each day reconciles. */
  hour: z
    .number({ error: 'priceListReconciliation.hour must be a whole hour, 0 to 23' })
    .int('priceListReconciliation.hour must be a whole hour, 0 to 23')
    .min(0, 'priceListReconciliation.hour must be a whole hour, 0 to 23')
    .max(23, 'priceListReconciliation.hour must be a whole hour, 0 to 23')
    .default(0),
});

const itemsSchema = z.strictObject({
  /** Off by default: the sync overwrites the store's names, prices and visibility, so a merchant turns it on deliberately. */
  enabled: flag('enabled').default(false),
  /** When CatalogSync polls Intacct for changed items (cron, in the tenant's time zone). */
  schedule: cron('schedule').default('*/30 * * * *'),
  fields: itemFieldsSchema.prefault({}),
  /**
   * A storefront product or variant whose SKU Intacct does not know: `off` raises one attention
   * item per missing SKU; `inactive` creates the Intacct item inactive, for someone to review and
   * activate; `active` creates it ready to sell.
   */
  createInIntacct: oneOf('createInIntacct', ['off', 'inactive', 'active']).default('off'),
  itemDefaults: itemDefaultsSchema.prefault({}),
  createInStorefront: createInStorefrontSchema.prefault({}),
  /**
   * Intacct order-entry price list (PRICELISTID) → the BigCommerce price list (id) whose records
   * it writes, per SKU; the store assigns that list to its customer groups. Empty: no price lists sync.
   */
  priceLists: z.record(z.string(), z.string().regex(/^\d+$/, { error: 'priceLists: a BigCommerce price list id' })).default({}),
  priceListReconciliation: priceListReconciliationSchema.prefault({}),
});

const customerFieldsSchema = z.strictObject({
  /** Name, phone and company. */
  contact: customerOwner('contact').default('lastChange'),
  email: customerOwner('email').default('lastChange'),
  addresses: customerOwner('addresses').default('lastChange'),
  /** The store's customer group ↔ Intacct customer type. */
  customerGroup: customerOwner('customerGroup').default('storefront'),
  /** Intacct credit hold → the store's customer group or attribute. */
  creditHold: customerOwner('creditHold').default('intacct'),
  /** Intacct price group and payment terms: the books decide them. */
  priceGroup: customerOwner('priceGroup').default('intacct'),
  terms: customerOwner('terms').default('intacct'),
});

const customerGroupsSchema = z.strictObject({
  /**
   * The storefront customer group (its id) a customer is moved to while Intacct holds its credit;
   * absent: credit hold does not reach the store. Released, the customer goes to its price list's
   * group, else to no group.
   */
  creditHold: identifier('creditHold').optional(),
  /** Intacct price list (PRICELIST) → the storefront customer group (id) whose prices match it. */
  priceLists: z.record(z.string(), identifier('priceLists group')).default({}),
  /** Storefront customer group (id) → Intacct customer type (CUSTTYPE); a group not listed changes nothing. */
  customerTypes: z.record(z.string(), identifier('customerTypes type')).default({}),
});

const customersSchema = z.strictObject({
  /**
   * Off by default: CustomerSync overwrites the matched Intacct customer's contact and the
   * storefront customer's group, so a merchant turns it on deliberately.
   */
  enabled: flag('enabled').default(false),
  /** When CustomerSync polls Intacct for changed customers (cron, in the tenant's time zone). */
  schedule: cron('schedule').default('*/30 * * * *'),
  fields: customerFieldsSchema.prefault({}),
  groups: customerGroupsSchema.prefault({}),
});

export const catalogSchema = z.strictObject({
  items: itemsSchema.prefault({}),
  customers: customersSchema.prefault({}),
});

export type CatalogSettings = z.output<typeof catalogSchema>;
export type ItemFieldDirections = CatalogSettings['items']['fields'];
export type CustomerFieldDirections = CatalogSettings['customers']['fields'];
export type CustomerGroupSettings = CatalogSettings['customers']['groups'];
export type ItemDefaults = CatalogSettings['items']['itemDefaults'];
export type CreateInStorefrontSettings = CatalogSettings['items']['createInStorefront'];
