import { Router } from 'express';
import { z } from 'zod';
import { v3Date, v3Money } from '../formats.js';
import type { CatalogProduct, CatalogVariant } from '../model.js';
import { listFilter, readPaging, statusCodesType, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

const productUpdate = z.object({ id: z.number().int(), price: z.number().min(0).optional(), cost_price: z.number().min(0).optional() });

/** V3 catalog (products, variants, batch product updates with 207 partial success) and V3 customers. */
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
    purchasing_disabled: false,
    upc: variant.upc ?? '',
    bin_picking_number: '',
    option_values:
      variant.optionLabel === undefined
        ? []
        : [{ id: variant.id + 500, label: variant.optionLabel, option_id: 31, option_display_name: 'Colour / Size' }],
  });

  const productView = (product: CatalogProduct, includeVariants: boolean) => ({
    id: product.id,
    name: product.name,
    type: product.tracking === 'none' ? 'digital' : 'physical',
    sku: product.sku,
    price: v3Money(product.priceCents),
    cost_price: v3Money(product.costCents),
    inventory_level: product.tracking === 'none' ? 0 : product.variants.reduce((sum, variant) => sum + store.defaultStock(variant.id), 0),
    inventory_warning_level: 5,
    inventory_tracking: product.tracking,
    // Only products without options have a base variant that stands for them.
    ...(product.variants.length === 1 && { base_variant_id: product.baseVariantId }),
    is_visible: true,
    date_modified: v3Date(product.modifiedAt),
    ...(includeVariants && { variants: product.variants.map((variant) => variantView(product, variant)) }),
  });

  router.get('/catalog/products', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const skus = listFilter(query['sku:in']) ?? (query.sku === undefined ? undefined : [query.sku]);
    const ids = listFilter(query['id:in'])?.map(Number) ?? (query.id === undefined ? undefined : [Number(query.id)]);
    const includeVariants = listFilter(query.include)?.includes('variants') ?? false;
    const all = store.state.products.filter(
      (product) => (skus === undefined || skus.includes(product.sku)) && (ids === undefined || ids.includes(product.id)),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((product) => productView(product, includeVariants)),
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
      if (parsed.data.price !== undefined) target.priceCents = Math.round(parsed.data.price * 100);
      if (parsed.data.cost_price !== undefined) target.costCents = Math.round(parsed.data.cost_price * 100);
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
    const all = store.state.products
      .filter((product) => productIds === undefined || productIds.includes(product.id))
      .flatMap((product) => product.variants.map((variant) => ({ product, variant })))
      .filter(({ variant }) => query.sku === undefined || variant.sku === query.sku);
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map(({ product, variant }) => variantView(product, variant)),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  router.get('/customers', (request, response) => {
    const paging = readPaging(request.query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const query = request.query as Record<string, string | undefined>;
    const ids = listFilter(query['id:in'])?.map(Number);
    const emails = listFilter(query['email:in'])?.map((email) => email.toLowerCase());
    const companies = listFilter(query['company:in']);
    const modifiedMin = query['date_modified:min'] ? new Date(query['date_modified:min']) : undefined;
    const withAddresses = listFilter(query.include)?.includes('addresses') ?? false;
    const all = store.state.customers.filter(
      (customer) =>
        (ids === undefined || ids.includes(customer.id)) &&
        (emails === undefined || emails.includes(customer.email.toLowerCase())) &&
        (companies === undefined || companies.includes(customer.company)) &&
        (modifiedMin === undefined || customer.modifiedAt >= modifiedMin),
    );
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    response.json({
      data: rows.map((customer) => ({
        id: customer.id,
        email: customer.email,
        first_name: customer.firstName,
        last_name: customer.lastName,
        company: customer.company,
        phone: customer.phone,
        notes: '',
        tax_exempt_category: '',
        customer_group_id: 0,
        registration_ip_address: '',
        date_created: v3Date(customer.createdAt),
        date_modified: v3Date(customer.modifiedAt),
        address_count: customer.addresses.length,
        attribute_count: 0,
        authentication: { force_password_reset: false },
        accepts_product_review_abandoned_cart_emails: false,
        origin_channel_id: 1,
        channel_ids: [1],
        ...(withAddresses && {
          addresses: customer.addresses.map((address) => ({
            ...address,
            customer_id: customer.id,
            first_name: customer.firstName,
            last_name: customer.lastName,
            company: customer.company,
            phone: customer.phone,
            address_type: 'residential',
          })),
        }),
      })),
      meta: v3Pagination(all.length, paging.page, paging.limit, rows.length),
    });
  });

  return router;
}
