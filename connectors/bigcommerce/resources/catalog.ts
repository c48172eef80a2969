import { z } from 'zod';
import { BigCommerceInputError, BigCommerceUnexpectedResponseError } from '../errors.js';
import {
  brand,
  maxProductBatch,
  maxVariantBatch,
  product,
  treeCategory,
  variant,
  type Brand,
  type Product,
  type ProductCreateInput,
  type ProductUpdateInput,
  type TreeCategory,
  type Variant,
  type VariantUpdateInput,
} from '../schemas/catalog.js';
import { v3ErrorBody, type V3ErrorBody } from '../schemas/common.js';
import type { BigCommerceTransport } from '../transport.js';
import { readV3Page, type V3Page } from './paging.js';

/** V3 catalog: reads for SKU matching and for rules (brands, categories), product and variant writes. */
export interface CatalogResource {
  listProducts(filter?: {
    skus?: string[];
    ids?: number[];
    includeVariants?: boolean;
    /** Each product's custom fields (`include=custom_fields`): one request for every product listed. */
    includeCustomFields?: boolean;
    page?: number;
    limit?: number;
  }): Promise<V3Page<Product>>;
  /** `GET /v3/catalog/brands`, by id. */
  listBrands(filter: { ids: number[]; page?: number; limit?: number }): Promise<V3Page<Brand>>;
  /** `GET /v3/catalog/trees/categories` (the categories API that serves every store), by category id. */
  listCategories(filter: { ids: number[]; page?: number; limit?: number }): Promise<V3Page<TreeCategory>>;
  listVariants(filter?: { sku?: string; skus?: string[]; productIds?: number[]; page?: number; limit?: number }): Promise<V3Page<Variant>>;
  /**
   * Resolves a SKU the way BigCommerce advises: variant SKU first, then the product's base
   * SKU. Undefined when neither matches.
   */
  findBySku(sku: string): Promise<{ productId: number; variantId: number | undefined; sku: string } | undefined>;
  /**
   * Updates up to 10 products in one call. BigCommerce may save some and refuse others
   * (207 Multi-Status): then `partialFailure` says what failed and `updated` what was saved.
   */
  updateProducts(updates: ProductUpdateInput[]): Promise<{ updated: Product[]; partialFailure: V3ErrorBody | undefined }>;
  /**
   * Updates up to 50 variants in one call. BigCommerce applies such a batch whole or refuses it
   * (422 with `batch_errors`), which surfaces as a `BigCommerceInputError`.
   */
  updateVariants(updates: VariantUpdateInput[]): Promise<Variant[]>;
  /**
   * Creates one product. BigCommerce refuses a SKU or name already in use with 409, which
   * surfaces as a `BigCommerceInputError` of status 409; it offers no idempotency key, so a
   * caller that may retry looks the SKU up first.
   */
  createProduct(input: ProductCreateInput): Promise<Product>;
}

const batchResult = z.object({ data: z.array(product), errors: v3ErrorBody.optional() });
const variantBatchResult = z.object({ data: z.array(variant) });
const createdProduct = z.object({ data: product });

export function catalogResource(transport: BigCommerceTransport): CatalogResource {
  const listProducts: CatalogResource['listProducts'] = (filter = {}) =>
    readV3Page(
      transport,
      {
        version: 'v3',
        method: 'GET',
        path: '/catalog/products',
        searchParams: {
          'sku:in': filter.skus?.join(','),
          'id:in': filter.ids?.join(','),
          include:
            [filter.includeVariants && 'variants', filter.includeCustomFields && 'custom_fields'].filter(Boolean).join(',') || undefined,
          page: filter.page,
          limit: filter.limit,
        },
      },
      product,
    );
  const listVariants: CatalogResource['listVariants'] = (filter = {}) =>
    readV3Page(
      transport,
      {
        version: 'v3',
        method: 'GET',
        path: '/catalog/variants',
        searchParams: {
          sku: filter.sku,
          'sku:in': filter.skus?.join(','),
          'product_id:in': filter.productIds?.join(','),
          page: filter.page,
          limit: filter.limit,
        },
      },
      variant,
    );
  return {
    listProducts,
    listBrands: (filter) =>
      readV3Page(
        transport,
        {
          version: 'v3',
          method: 'GET',
          path: '/catalog/brands',
          searchParams: { 'id:in': filter.ids.join(','), page: filter.page, limit: filter.limit },
        },
        brand,
      ),
    listCategories: (filter) =>
      readV3Page(
        transport,
        {
          version: 'v3',
          method: 'GET',
          path: '/catalog/trees/categories',
          searchParams: { 'category_id:in': filter.ids.join(','), page: filter.page, limit: filter.limit },
        },
        treeCategory,
      ),
    listVariants,
    async findBySku(sku) {
      const found = (await listVariants({ sku })).data.find((candidate) => candidate.sku === sku);
      if (found) return { productId: found.product_id, variantId: found.id, sku };
      const base = (await listProducts({ skus: [sku] })).data.find((candidate) => candidate.sku === sku);
      return base ? { productId: base.id, variantId: base.base_variant_id ?? undefined, sku } : undefined;
    },
    async updateProducts(updates) {
      if (updates.length === 0 || updates.length > maxProductBatch) {
        throw new BigCommerceInputError(`a product batch takes 1 to ${maxProductBatch} products, not ${updates.length}`, {
          vendorCode: 'too_many_items',
        });
      }
      const response = await transport.send({ version: 'v3', method: 'PUT', path: '/catalog/products', json: updates });
      const parsed = batchResult.safeParse(response.body);
      if (!parsed.success)
        throw new BigCommerceUnexpectedResponseError(`BigCommerce PUT v3/catalog/products: response does not match the documented shape`, {
          status: response.status,
          vendorCode: 'unexpected_response',
        });
      return {
        updated: parsed.data.data,
        partialFailure: response.status === 207 ? (parsed.data.errors ?? { status: 207, title: 'partial success' }) : undefined,
      };
    },
    async updateVariants(updates) {
      if (updates.length === 0 || updates.length > maxVariantBatch) {
        throw new BigCommerceInputError(`a variant batch takes 1 to ${maxVariantBatch} variants, not ${updates.length}`, {
          vendorCode: 'too_many_items',
        });
      }
      const result = await transport.sendParsed(
        { version: 'v3', method: 'PUT', path: '/catalog/variants', json: updates },
        variantBatchResult,
      );
      return result.data;
    },
    async createProduct(input) {
      const result = await transport.sendParsed({ version: 'v3', method: 'POST', path: '/catalog/products', json: input }, createdProduct);
      return result.data;
    },
  };
}
