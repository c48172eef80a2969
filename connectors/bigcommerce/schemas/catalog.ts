import { z } from 'zod';

/** `GET /v3/catalog/variants` item. Catalog prices are floats. */
export const variant = z.object({
  id: z.number().int(),
  product_id: z.number().int(),
  sku: z.string(),
  sku_id: z.number().int().nullable().optional(),
  price: z.number().nullable().optional(),
  calculated_price: z.number().optional(),
  sale_price: z.number().nullable().optional(),
  cost_price: z.number().nullable().optional(),
  inventory_level: z.number().int(),
  inventory_warning_level: z.number().int().optional(),
  purchasing_disabled: z.boolean().optional(),
  upc: z.string().optional(),
  option_values: z
    .array(z.object({ id: z.number().int(), label: z.string(), option_id: z.number().int(), option_display_name: z.string() }))
    .optional(),
});
export type Variant = z.infer<typeof variant>;

/** `GET /v3/catalog/products` item. */
export const product = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.enum(['physical', 'digital']),
  sku: z.string(),
  price: z.number(),
  cost_price: z.number().optional(),
  inventory_level: z.number().int(),
  inventory_warning_level: z.number().int().optional(),
  inventory_tracking: z.enum(['none', 'product', 'variant']),
  base_variant_id: z.number().int().nullable().optional(),
  is_visible: z.boolean().optional(),
  date_modified: z.string().optional(),
  variants: z.array(variant).optional(),
  /** The product's brand; 0: none. */
  brand_id: z.number().int().optional(),
  /** The ids of the categories the product is in. */
  categories: z.array(z.number().int()).optional(),
  /** With `include=custom_fields`: the name/value pairs the merchant shows with the product. */
  custom_fields: z.array(z.object({ id: z.number().int().optional(), name: z.string(), value: z.string() })).optional(),
});
export type Product = z.infer<typeof product>;

/** `GET /v3/catalog/brands` item: what the product keeps of it. */
export const brand = z.object({ id: z.number().int(), name: z.string() });
export type Brand = z.infer<typeof brand>;

/** `GET /v3/catalog/trees/categories` item: what the product keeps of it (category ids are unique across a store's trees). */
export const treeCategory = z.object({
  category_id: z.number().int(),
  name: z.string(),
  parent_id: z.number().int().optional(),
  tree_id: z.number().int().optional(),
});
export type TreeCategory = z.infer<typeof treeCategory>;

/** One product in `PUT /v3/catalog/products` (a batch of at most 10). */
export interface ProductUpdateInput {
  id: number;
  name?: string;
  price?: number;
  cost_price?: number;
  sku?: string;
  is_visible?: boolean;
}

/** `POST /v3/catalog/products`: a product without options, its own SKU standing for it. */
export interface ProductCreateInput {
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  price: number;
  /** Required by BigCommerce; 0 when the weight is unknown. */
  weight: number;
  is_visible: boolean;
  categories?: number[];
}

/** The most products BigCommerce accepts in one batch update. */
export const maxProductBatch = 10;

/** One variant in `PUT /v3/catalog/variants` (a batch of at most 50). */
export interface VariantUpdateInput {
  id: number;
  price?: number;
  cost_price?: number;
  /** True: shoppers cannot buy this variant. */
  purchasing_disabled?: boolean;
}

/** The most variants BigCommerce accepts in one batch update ("currently the limit is 50"). */
export const maxVariantBatch = 50;
