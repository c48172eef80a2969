import { BigCommerceInputError, type BigCommerceClient } from '../connectors/bigcommerce/index.js';
import { ClarityInputError, type ClarityClient } from '../connectors/clarity/index.js';
import { createItem, findItemsByField, IntacctInputError } from '../connectors/intacct/index.js';
import { parseAmount } from '../mappers/money.js';
import { fromStorefrontPrice, intacctItemStamp, toIntacctItemFromStorefront, type NewStorefrontSku } from '../mappers/catalog-item-sync.js';
import { parkForAttention } from '../store/attention.js';
import { findMappingRow } from '../store/mappings.js';
import { recordOwnItemWrite } from '../store/own-item-writes.js';
import type {
  CreateMissingItemsInput,
  CreateMissingItemsResult,
  StorefrontItemIntakeActivities,
  StorefrontItemIntakeInput,
  StorefrontItemsRead,
  StorefrontItemTarget,
} from '../workflows/storefront-item-intake-contract.js';
import { withConnectorFailures } from './connector-failure.js';
import type { ActivityDependencies } from './dependencies.js';

/**
 * The attention item of a storefront SKU Intacct lacks: one per SKU (`inventory`, `sku:{SKU}`),
 * however many products, webhooks or orders name it.
 */
export function missingSkuAttentionKey(tenantId: string, sku: string) {
  return { tenantId, entity: 'inventory' as const, externalId: `sku:${sku}` };
}

/**
 * A Clarity product's SKU with its name and price. Clarity keeps no cost; a price in another
 * currency than the tenant's books is left out rather than booked as if it were theirs.
 */
async function claritySkus(client: ClarityClient, sku: string, currency: string): Promise<NewStorefrontSku[]> {
  const product = await client.getProduct(sku);
  const priceMinor = product.currency === currency ? parseAmount(product.price, currency).minor : undefined;
  return [{ sku: product.sku, name: product.name, priceMinor, costMinor: undefined }];
}

/** The SKUs of a BigCommerce product (its own, or each option's) or of one variant, with the store's name and prices. */
async function bigCommerceSkus(
  client: BigCommerceClient,
  target: Exclude<StorefrontItemTarget, { kind: 'claritySku' }>,
  currency: string,
): Promise<NewStorefrontSku[]> {
  let productId: number;
  let onlyVariantId: number | undefined;
  if (target.kind === 'bigcommerceProduct') productId = Number(target.productId);
  else {
    const [item] = (await client.inventory.listItems({ variantIds: [Number(target.variantId)], limit: 1 })).data;
    if (item === undefined) return [];
    productId = item.identity.product_id;
    onlyVariantId = Number(target.variantId);
  }
  const [product] = (await client.catalog.listProducts({ ids: [productId], includeVariants: true, limit: 1 })).data;
  if (product === undefined) return [];
  const variants = product.variants ?? [];
  const simple = variants.length <= 1 && product.base_variant_id !== undefined && product.base_variant_id !== null;
  if (simple && onlyVariantId === undefined) {
    const sku = product.sku !== '' ? product.sku : (variants[0]?.sku ?? '');
    return sku === ''
      ? []
      : [
          {
            sku,
            name: product.name,
            priceMinor: fromStorefrontPrice(product.price, currency),
            costMinor: fromStorefrontPrice(product.cost_price, currency),
          },
        ];
  }
  return variants
    .filter((variant) => variant.sku !== '' && (onlyVariantId === undefined || variant.id === onlyVariantId))
    .map((variant) => {
      const labels = (variant.option_values ?? []).map((value) => value.label).join(', ');
      return {
        sku: variant.sku,
        name: labels === '' ? product.name : `${product.name}, ${labels}`,
        priceMinor: fromStorefrontPrice(variant.price ?? product.price, currency),
        costMinor: fromStorefrontPrice(variant.cost_price ?? product.cost_price, currency),
      };
    });
}

/**
 * StorefrontItemIntake's activities: read what the storefront added, then make sure Intacct
 * knows each SKU, creating the missing items (recorded as the product's own writes) or raising
 * one attention item per missing SKU.
 */
export function createStorefrontItemIntakeActivities(deps: ActivityDependencies) {
  return {
    /** Intake is on when the tenant creates items, or syncs its catalog (then a missing SKU is raised). */
    readStorefrontItems: withConnectorFailures(async (input: StorefrontItemIntakeInput): Promise<StorefrontItemsRead> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { items } = connection.settings.catalog;
      const enabled = items.createInIntacct !== 'off' || items.enabled;
      if (!enabled) return { enabled: false, skus: [] };
      const storefront = await connection.storefront();
      const currency = connection.settings.orderSync.currency.baseCurrency;
      const { target } = input;
      try {
        if (target.kind === 'claritySku' && storefront.kind === 'clarity') {
          return { enabled: true, skus: await claritySkus(storefront.client, target.sku, currency) };
        }
        if (target.kind !== 'claritySku' && storefront.kind === 'bigcommerce') {
          return { enabled: true, skus: await bigCommerceSkus(storefront.client, target, currency) };
        }
        // The tenant's storefront is not the one that named the record: there is nothing of it to read.
        return { enabled: false, skus: [] };
      } catch (error) {
        // Deleted again before we read it: nothing is left to take in.
        if ((error instanceof BigCommerceInputError || error instanceof ClarityInputError) && error.status === 404) {
          return { enabled: true, skus: [] };
        }
        throw error;
      }
    }),

    createMissingItems: withConnectorFailures(async (input: CreateMissingItemsInput): Promise<CreateMissingItemsResult> => {
      const connection = await deps.connections.forTenant(input.tenantId);
      const { settings } = connection;
      const { items } = settings.catalog;
      const currency = settings.orderSync.currency.baseCurrency;
      const result: CreateMissingItemsResult = { known: [], created: [], raised: [], failed: [] };
      const unlisted: NewStorefrontSku[] = [];
      for (const sku of input.skus) {
        if ((await findMappingRow(deps.db, input.tenantId, 'items', sku.sku)) !== null) result.known.push(sku.sku);
        else unlisted.push(sku);
      }
      if (unlisted.length === 0) return result;
      const intacct = await connection.intacct();
      const { itemMatching } = settings.orderSync;
      // The item this intake creates has the SKU as its id: look there too when orders match SKUs on another field.
      const field = itemMatching.storefrontField === 'sku' ? itemMatching.intacctField : 'ITEMID';
      const matched = new Set(
        (
          await findItemsByField(
            intacct,
            field,
            unlisted.map((sku) => sku.sku),
          )
        ).map((match) => match.matchedValue),
      );
      for (const sku of unlisted) {
        if (matched.has(sku.sku)) {
          result.known.push(sku.sku);
          continue;
        }
        const item = toIntacctItemFromStorefront(sku, items, currency);
        if (item === undefined) {
          await parkForAttention(deps.db, {
            ...missingSkuAttentionKey(input.tenantId, sku.sku),
            code: 'unknown_sku',
            reason: `the storefront sells SKU ${sku.sku} ("${sku.name}") but Intacct has no item for it, so its orders cannot post`,
            fix: 'create the item in Intacct (or add the SKU to the items mapping table); or set catalog.items.createInIntacct to create such items',
            details: { sku: sku.sku },
          });
          result.raised.push(sku.sku);
          continue;
        }
        try {
          await createItem(intacct, item, `item-create:${sku.sku}`.slice(0, 256));
          await recordOwnItemWrite(
            deps.db,
            input.tenantId,
            item.itemId,
            intacctItemStamp({
              name: item.name,
              status: item.status,
              basePrice: item.basePrice ?? '',
              standardCost: item.standardCost ?? '',
            }),
          );
          result.created.push(sku.sku);
        } catch (error) {
          if (!(error instanceof IntacctInputError)) throw error;
          await parkForAttention(deps.db, {
            ...missingSkuAttentionKey(input.tenantId, sku.sku),
            code: 'intacct_item_refused',
            reason: `Intacct refused to create item ${sku.sku}: ${error.message}`,
            fix: 'correct catalog.items.itemDefaults (item type, unit of measure, GL or tax group) or create the item in Intacct',
            details: { sku: sku.sku },
          });
          result.failed.push({ sku: sku.sku, reason: error.message });
        }
      }
      return result;
    }),
  } satisfies StorefrontItemIntakeActivities;
}
