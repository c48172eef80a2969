import { Router } from 'express';
import { enumParam, pathParam, requireScope, type StateRef, timestampParam } from '../context.js';
import { page, readPageQuery } from '../paging.js';
import { notFound } from '../problems.js';
import { couponToWire, returnToWire, type ReturnRecord } from '../records.js';

const returnStatuses = ['requested', 'approved', 'received', 'refunded', 'rejected'] as const;

/** Returns (RMAs with their refunds) and coupon definitions. */
export function returnRoutes(state: StateRef): Router {
  const router = Router();

  router.get('/api/v1/returns', requireScope(state, 'returns:read'), (request, response) => {
    const query = request.query as Record<string, unknown>;
    const paging = readPageQuery(query);
    const updatedSince = timestampParam(query, 'updatedSince');
    const status = enumParam(query, 'status', returnStatuses);
    const returns = [...state().store.returns.values()]
      .filter(
        (record) => (updatedSince === undefined || record.updatedAt >= updatedSince) && (status === undefined || record.status === status),
      )
      .sort((a, b) => returnKey(a).localeCompare(returnKey(b)));
    const result = page(returns, returnKey, paging);
    response.json({ data: result.data.map(returnToWire), nextCursor: result.nextCursor });
  });

  router.get('/api/v1/returns/:returnId', requireScope(state, 'returns:read'), (request, response) => {
    const record = state().store.returns.get(pathParam(request, 'returnId'));
    if (record === undefined) throw notFound(`return ${pathParam(request, 'returnId')}`);
    response.json(returnToWire(record));
  });

  router.get('/api/v1/coupons/:code', requireScope(state, 'orders:read'), (request, response) => {
    const coupon = state().store.coupons.get(pathParam(request, 'code').toUpperCase());
    if (coupon === undefined) throw notFound(`coupon ${pathParam(request, 'code')}`);
    response.json(couponToWire(coupon));
  });

  return router;
}

function returnKey(record: ReturnRecord): string {
  return `${record.updatedAt}|${record.returnId}`;
}
