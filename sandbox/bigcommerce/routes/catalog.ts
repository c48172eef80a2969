import { Router } from 'express';
import { z } from 'zod';
import { v3Date, v3Money } from '../formats.js';
import type { CatalogProduct, CatalogVariant, ProductCustomField } from '../model.js';
import { listFilter, readPaging, statusCodesType, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

const productUpdate = z.object({
  id: z.number().int(),
  name: z.string().min(1).max(250).optional(),
  price: z.number().min(0).optional(),
  cost_price: z.number().min(0).optional(),
  is_visible: z.boolean().optional(),
  brand_id: z.number().int().min(0).optional(),
  brand_name: z.string().min(1).max(255).optional(),
  categories: z.array(z.number().int().min(1)).max(1000).optional(),
});
const variantUpdate = z.object({
  id: z.number().int(),
  price: z.number().min(0).nullable().optional(),
  cost_price: z.number().min(0).optional(),
  purchasing_disabled: z.boolean().optional(),
});
const newProduct = z.object({
  name: z.string().min(1).max(250),
  type: z.enum(['physical', 'digital']),
  weight: z.number().min(0),
  price: z.number().min(0),
  sku: z.string().max(255).optional(),
  cost_price: z.number().min(0).optional(),
  is_visible: z.boolean().optional(),
  categories: z.array(z.number().int().min(1)).optional(),
  inventory_tracking: z.enum(['none', 'product', 'variant']).optional(),
  variants: z
    .array(
      z.object({
        sku: z.string().min(1).max(255),
        price: z.number().min(0).nullable().optional(),
        cost_price: z.number().min(0).optional(),
        option_values: z.array(z.object({ option_display_name: z.string(), label: z.string() })).optional(),
      }),
    )
    .max(600)
    .optional(),
});
const newCustomField = z.object({ name: z.string().min(1).max(250), value: z.string().min(1).max(250) });
/** "200 custom fields per product limit." */
const maxCustomFieldsPerProduct = 200;
/** The most variants `PUT /v3/catalog/variants` takes ("currently the limit is 50"). */
const maxVariantBatch = 50;

/**
 * V3 catalog (products, variants, batch product updates with 207 partial success, batch variant
 * updates applied whole or refused, product creation firing `store/product/created`) (customers: ./customers.ts).
 */
export function v3CatalogRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  const variantView = (product: CatalogProduct, variant: CatalogVariant) => ({
    id: variant.id,
    product_id: product.id,
    sku: variant.sku,
    sku_id: variant.id + 1000,
    price: v3Money(variant.priceCents ?? product.priceCents),
    calculated_price: v3Money(variant.priceCents ?? product.priceCents),
    sale_price: 0,
    cost_price: v3Money(variant.costCents ?? product.costCents),
    inventory_level: store.defaultStock(variant.id),
    inventory_warning_level: 5,
    purchasing_disabled: variant.purchasingDisabled ?? false,
    upc: variant.upc ?? '',
    bin_picking_number: '',
    option_values:
      variant.optionLabel === undefined
        ? []
        : [{ id: variant.id + 500, label: variant.optionLabel, option_id: 31, option_display_name: 'Colour / Size' }],
  });

  // "Brand name is not case-sensitive": an existing brand is used, else the brand is created.
  const brandNamed = (name: string): number => {
    const brands = (store.state.brands ??= []);
    const found = brands.find((brand) => brand.name.toLowerCase() === name.toLowerCase());
    if (found !== undefined) return found.id;
    const id = 1 + Math.max(0, ...brands.map((brand) => brand.id));
    brands.push({ id, name });
    return id;
  };

  const customFieldView = ({ id, name, value }: ProductCustomField) => ({ id, name, value });

  const productView = (product: CatalogProduct, includeVariants: boolean, includeCustomFields = false) => ({
    id: product.id,
    name: product.name,
    type: product.type ?? (product.tracking === 'none' ? 'digital' : 'physical'),
    categories: product.categories ?? [],
    brand_id: product.brandId ?? 0,
    sku: product.sku,
    price: v3Money(product.priceCents),
    cost_price: v3Money(product.costCents),
    inventory_level: product.tracking === 'none' ? 0 : product.variants.reduce((sum, variant) => sum + store.defaultStock(variant.id), 0),
    inventory_warning_level: 5,
    inventory_tracking: product.tracking,
    // Only products without options have a base variant that stands for them.
    ...(product.variants.length === 1 && { base_variant_id: product.baseVariantId }),
    is_visible: product.isVisible ?? true,
    date_modified: v3Date(product.modifiedAt),
    ...(includeVariants && { variants: product.variants.map((variant) => variantView(product, variant)) }),
    ...(includeCustomFields && { custom_fields: (product.customFields ?? []).map(customFieldView) }),
  });

  router.get('/catalog/products', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const skus = listFilter(query['sku:in']) ?? (query.sku === undefined ? undefined : [query.sku]);
    const ids = listFilter(query['id:in'])?.map(Number) ?? (query.id === undefined ? undefined : [Number(query.id)]);
    const include = listFilter(query.include) ?? [];
    const includeVariants = include.includes('variants');
    const all = store.state.products.filter(
      (product) => (skus === undefined || skus.includes(product.sku)) && (ids === undefined || ids.includes(product.id)),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((product) => productView(product, includeVariants, include.includes('custom_fields'))),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  router.put('/catalog/products', (request, response) => {
    const updates: unknown = request.body;
    if (!Array.isArray(updates) || updates.length === 0)
      throw new SandboxError(422, 'JSON data is missing or invalid', { body: 'error.expected.jsarray' });
    if (updates.length > 10) throw new SandboxError(413, 'The maximum items allowed in the array is 10');
    const saved: CatalogProduct[] = [];
    const failed: Record<string, string> = {};
    updates.forEach((update: unknown, index) => {
      const parsed = productUpdate.safeParse(update);
      const target = parsed.success ? store.state.products.find((candidate) => candidate.id === parsed.data.id) : undefined;
      if (!parsed.success || !target) {
        failed[`${index}`] = parsed.success
          ? `product ${parsed.data.id} does not exist`
          : `error.path.${parsed.error.issues[0]?.path.join('.') ?? 'item'}`;
        return;
      }
      if (parsed.data.name !== undefined) target.name = parsed.data.name;
      if (parsed.data.is_visible !== undefined) target.isVisible = parsed.data.is_visible;
      if (parsed.data.price !== undefined) target.priceCents = Math.round(parsed.data.price * 100);
      if (parsed.data.cost_price !== undefined) target.costCents = Math.round(parsed.data.cost_price * 100);
      if (parsed.data.categories !== undefined) target.categories = parsed.data.categories;
      const brandId = parsed.data.brand_name !== undefined ? brandNamed(parsed.data.brand_name) : parsed.data.brand_id;
      if (brandId !== undefined) target.brandId = brandId === 0 ? undefined : brandId;
      target.modifiedAt = new Date();
      saved.push(target);
    });
    const data = saved.map((product) => productView(product, false));
    if (Object.keys(failed).length === 0) {
      response.json({ data, meta: v3Pagination(data.length, 1, 10, data.length) });
      return;
    }
    if (saved.length === 0) throw new SandboxError(422, 'No products were updated', failed);
    // Partial success: what was saved, and what was not.
    response.status(207).json({
      data,
      errors: { status: 422, title: 'Some products were not updated', type: statusCodesType, errors: failed },
      meta: v3Pagination(data.length, 1, 10, data.length),
    });
  });

  router.get('/catalog/variants', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const productIds = listFilter(query['product_id:in'])?.map(Number);
    const skus = listFilter(query['sku:in']) ?? (query.sku === undefined ? undefined : [query.sku]);
    const all = store.state.products
      .filter((product) => productIds === undefined || productIds.includes(product.id))
      .flatMap((product) => product.variants.map((variant) => ({ product, variant })))
      .filter(({ variant }) => skus === undefined || skus.includes(variant.sku));
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map(({ product, variant }) => variantView(product, variant)),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  // Validated whole before anything is saved: a refused batch leaves every variant as it was.
  router.put('/catalog/variants', (request, response) => {
    const updates: unknown = request.body;
    if (!Array.isArray(updates) || updates.length === 0)
      throw new SandboxError(422, 'JSON data is missing or invalid', { body: 'error.expected.jsarray' });
    if (updates.length > maxVariantBatch)
      throw new SandboxError(413, `The request payload is too large. The maximum items allowed in the array is ${maxVariantBatch}`);
    const batchErrors: Array<{ status: number; title: string; type: string; errors: Record<string, string> }> = [];
    const targets = updates.map((update: unknown, index) => {
      const parsed = variantUpdate.safeParse(update);
      const target = parsed.success
        ? store.state.products
            .flatMap((product) => product.variants.map((variant) => ({ product, variant })))
            .find(({ variant }) => variant.id === parsed.data.id)
        : undefined;
      if (!parsed.success || target === undefined) {
        batchErrors.push({
          status: 422,
          title: parsed.success ? `Variant ${parsed.data.id} does not exist` : 'The variant is invalid',
          type: statusCodesType,
          errors: { [`${index}`]: parsed.success ? 'variant not found' : `error.path.${parsed.error.issues[0]?.path.join('.') ?? 'item'}` },
        });
        return undefined;
      }
      return { ...target, update: parsed.data };
    });
    if (batchErrors.length > 0) {
      response.status(422).json({ batch_errors: batchErrors });
      return;
    }
    const saved = targets.map((target) => {
      const { product, variant, update } = target!;
      if (update.price !== undefined) variant.priceCents = update.price === null ? undefined : Math.round(update.price * 100);
      if (update.cost_price !== undefined) variant.costCents = Math.round(update.cost_price * 100);
      if (update.purchasing_disabled !== undefined) variant.purchasingDisabled = update.purchasing_disabled;
      product.modifiedAt = new Date();
      return variantView(product, variant);
    });
    response.json({ data: saved, meta: {} });
  });

  // A merchant adding a product in the control panel or through the API: the store then fires `store/product/created`.
  router.post('/catalog/products', (request, response) => {
    const parsed = newProduct.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SandboxError(422, 'The product is invalid', { [issue?.path.join('.') || 'body']: issue?.message ?? 'invalid' });
    }
    const input = parsed.data;
    const { products } = store.state;
    if (products.some((product) => product.name === input.name))
      throw new SandboxError(409, `The product name is a duplicate`, { name: `A product named ${input.name} already exists` });
    const skus = [input.sku, ...(input.variants ?? []).map((variant) => variant.sku)].filter(
      (sku): sku is string => sku !== undefined && sku !== '',
    );
    const taken = new Set(products.flatMap((product) => [product.sku, ...product.variants.map((variant) => variant.sku)]));
    const duplicate = skus.find((sku, index) => taken.has(sku) || skus.indexOf(sku) !== index);
    if (duplicate !== undefined)
      throw new SandboxError(409, 'The product sku is a duplicate', { sku: `SKU ${duplicate} is already in use` });
    const productId = Math.max(0, ...products.map((product) => product.id)) + 1;
    let variantId = Math.max(0, ...products.flatMap((product) => product.variants.map((variant) => variant.id)));
    const variants =
      input.variants === undefined || input.variants.length === 0
        ? [{ id: (variantId += 1), productId, sku: input.sku ?? '', optionLabel: undefined, priceCents: undefined, costCents: undefined }]
        : input.variants.map((variant) => ({
            id: (variantId += 1),
            productId,
            sku: variant.sku,
            optionLabel: variant.option_values?.map((value) => value.label).join(' / '),
            priceCents: variant.price === null || variant.price === undefined ? undefined : Math.round(variant.price * 100),
            costCents: variant.cost_price === undefined ? undefined : Math.round(variant.cost_price * 100),
          }));
    const created: CatalogProduct = {
      id: productId,
      name: input.name,
      sku: input.sku ?? '',
      priceCents: Math.round(input.price * 100),
      costCents: Math.round((input.cost_price ?? 0) * 100),
      tracking: input.inventory_tracking ?? 'none',
      type: input.type,
      ...(input.categories !== undefined && { categories: input.categories }),
      baseVariantId: variants[0]!.id,
      modifiedAt: new Date(),
      ...(input.is_visible !== undefined && { isVisible: input.is_visible }),
      variants,
    };
    products.push(created);
    store.indexCatalogue();
    store.emit('store/product/created', { type: 'product', id: productId });
    response.json({ data: productView(created, true), meta: {} });
  });

  const productOf = (productId: string | undefined) => {
    const product = store.product(Number(productId));
    if (!product) throw new SandboxError(404, 'The requested product was not found.');
    return product;
  };

  router.get('/catalog/products/:productId/custom-fields', (request, response) => {
    const product = productOf(request.params.productId);
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const all = product.customFields ?? [];
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({ data: rows.map(customFieldView), meta: v3Pagination(all.length, paging.page, paging.limit, rows.length) });
  });

  router.post('/catalog/products/:productId/custom-fields', (request, response) => {
    const product = productOf(request.params.productId);
    const parsed = newCustomField.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SandboxError(422, 'The custom field is invalid', { [issue?.path.join('.') || 'body']: issue?.message ?? 'invalid' });
    }
    const { name, value } = parsed.data;
    const fields = (product.customFields ??= []);
    // "Every name-value pair must be unique inside a product."
    if (fields.some((field) => field.name === name && field.value === value))
      throw new SandboxError(409, 'The custom field is a duplicate', { name: `The product already has ${name}: ${value}` });
    if (fields.length >= maxCustomFieldsPerProduct)
      throw new SandboxError(422, `A product can have at most ${maxCustomFieldsPerProduct} custom fields`);
    const id = 1 + Math.max(0, ...store.state.products.flatMap((each) => (each.customFields ?? []).map((field) => field.id)));
    const field: ProductCustomField = { id, name, value };
    fields.push(field);
    product.modifiedAt = new Date();
    response.json({ data: customFieldView(field), meta: {} });
  });

  return router;
}
