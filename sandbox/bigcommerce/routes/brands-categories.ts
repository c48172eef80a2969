import { Router } from 'express';
import type { CatalogBrand, CatalogCategory } from '../model.js';
import { listFilter, readPaging, v3Pagination } from '../responses.js';
import { SandboxError, type SandboxStore } from '../store.js';

/** The numbers of a comma-separated `:in` filter; undefined when the filter is not given. */
const idsIn = (value: unknown): number[] | undefined => listFilter(value)?.map(Number);

/**
 * V3 brands and category trees, read-only: `GET /catalog/brands` (filters `id`, `id:in`, `name`)
 * and `GET /catalog/trees/categories` (filters `category_id:in`, `tree_id:in`, `parent_id:in`,
 * `name`), paged with `page`/`limit` (at most 250) and `meta.pagination`, as BigCommerce's
 * catalog files describe them. Products name them by `brand_id` and `categories` (./catalog.ts).
 */
export function v3BrandAndCategoryRoutes(store: SandboxStore): Router {
  const router = Router({ mergeParams: true });

  const brandView = (brand: CatalogBrand) => ({
    id: brand.id,
    name: brand.name,
    page_title: '',
    meta_keywords: [''],
    meta_description: '',
    image_url: '',
    search_keywords: '',
    custom_url: { url: `/brands/${encodeURIComponent(brand.name.replace(/\s+/g, '-'))}.html`, is_customized: false },
  });

  const categoryView = (category: CatalogCategory) => ({
    category_id: category.id,
    parent_id: category.parentId,
    tree_id: category.treeId,
    name: category.name,
    description: '',
    views: 0,
    sort_order: 0,
    page_title: '',
    meta_keywords: [''],
    meta_description: '',
    layout_file: 'category.html',
    image_url: '',
    is_visible: true,
    search_keywords: '',
    default_product_sort: 'use_store_settings',
    url: { path: `/${category.name.toLowerCase().replace(/\s+/g, '-')}/`, is_customized: false },
  });

  /** One page of a filtered list, in the `{ data, meta.pagination }` envelope. */
  const page = <T, V>(query: Record<string, unknown>, all: T[], view: (item: T) => V) => {
    const paging = readPaging(query, 250);
    if (!paging) throw new SandboxError(422, 'The page or limit parameter is invalid.');
    const rows = all.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
    return { data: rows.map(view), meta: v3Pagination(all.length, paging.page, paging.limit, rows.length) };
  };

  router.get('/catalog/brands', (request, response) => {
    const query = request.query as Record<string, string | undefined>;
    const ids = idsIn(query['id:in']) ?? (query.id === undefined ? undefined : [Number(query.id)]);
    const brands = (store.state.brands ?? []).filter(
      (brand) => (ids === undefined || ids.includes(brand.id)) && (query.name === undefined || brand.name === query.name),
    );
    response.json(page(request.query, brands, brandView));
  });

  router.get('/catalog/trees/categories', (request, response) => {
    const query = request.query as Record<string, string | undefined>;
    const [ids, trees, parents] = [idsIn(query['category_id:in']), idsIn(query['tree_id:in']), idsIn(query['parent_id:in'])];
    const categories = (store.state.categories ?? []).filter(
      (category) =>
        (ids === undefined || ids.includes(category.id)) &&
        (trees === undefined || trees.includes(category.treeId)) &&
        (parents === undefined || parents.includes(category.parentId)) &&
        (query.name === undefined || category.name === query.name),
    );
    response.json(page(request.query, categories, categoryView));
  });

  return router;
}
