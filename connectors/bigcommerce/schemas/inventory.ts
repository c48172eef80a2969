import { z } from 'zod';

/** One absolute level: the stock is named by exactly one of sku, variant_id or product_id. */
export type InventoryLevelInput = { location_id: number; quantity: number } & (
  { sku: string } | { variant_id: number } | { product_id: number }
);

/** The most items BigCommerce accepts in one adjustment request. */
export const maxAdjustmentItems = 2000;

export const adjustmentResult = z.object({ transaction_id: z.string() });

const itemSettings = z.object({
  safety_stock: z.number().int(),
  is_in_stock: z.boolean(),
  warning_level: z.number().int(),
  bin_picking_number: z.string().optional(),
});

/** `GET /v3/inventory/items` item: one stock identity across locations. */
export const inventoryItem = z.object({
  identity: z.object({
    sku: z.string(),
    variant_id: z.number().int(),
    product_id: z.number().int(),
    sku_id: z.number().int().nullable().optional(),
  }),
  locations: z.array(
    z.object({
      location_id: z.number().int(),
      location_code: z.string(),
      location_name: z.string(),
      available_to_sell: z.number().int(),
      total_inventory_onhand: z.number().int(),
      location_enabled: z.boolean().optional(),
      settings: itemSettings.optional(),
    }),
  ),
});
export type InventoryItem = z.infer<typeof inventoryItem>;

/** `GET /v3/inventory/locations` item. */
export const location = z.object({
  id: z.number().int(),
  code: z.string(),
  label: z.string(),
  description: z.string().optional(),
  type_id: z.string().optional(),
  enabled: z.boolean(),
  storefront_visibility: z.boolean().optional(),
});
export type Location = z.infer<typeof location>;
