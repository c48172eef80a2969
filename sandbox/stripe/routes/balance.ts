import { Router } from 'express';
import { stripeRoute, type StateRef } from '../context.js';
import { listPage, listParams } from '../lists.js';
import type { BalanceTransactionType, PayoutStatus } from '../model.js';
import { allowOnly, inRange, optionalEnum, optionalRange, optionalString } from '../params.js';
import { renderBalanceTransaction, renderPayout } from '../render.js';

const payoutStatuses = ['pending', 'paid', 'failed', 'canceled', 'in_transit'] as const satisfies readonly PayoutStatus[];

/** The balance, its transactions and the payouts that empty it: `/v1/balance`, `/v1/balance_transactions`, `/v1/payouts`. */
export function balanceRoutes(state: StateRef): Router {
  const router = Router();
  const route = (handler: Parameters<typeof stripeRoute>[1]) => stripeRoute(state, handler);

  router.get(
    '/v1/balance',
    route((params, _request, world) => {
      allowOnly(params, ['expand']);
      const now = world.now();
      const sums = { available: new Map<string, number>(), pending: new Map<string, number>() };
      for (const transaction of world.records.balanceTransactions) {
        const bucket = transaction.availableOn <= now || transaction.payout !== null ? sums.available : sums.pending;
        bucket.set(transaction.currency, (bucket.get(transaction.currency) ?? 0) + transaction.net);
      }
      const currency = world.settings.settlementCurrency;
      const funds = (bucket: Map<string, number>) =>
        Array.from(bucket.size === 0 ? new Map([[currency, 0]]) : bucket, ([code, amount]) => ({
          amount,
          currency: code,
          source_types: { card: amount },
        }));
      return { body: { object: 'balance', available: funds(sums.available), livemode: false, pending: funds(sums.pending) } };
    }),
  );

  router.get(
    '/v1/balance_transactions',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'currency', 'payout', 'source', 'type']);
      const created = optionalRange(params, 'created');
      const currency = optionalString(params, 'currency')?.toLowerCase();
      const payout = optionalString(params, 'payout');
      const source = optionalString(params, 'source');
      const type = optionalString(params, 'type') as BalanceTransactionType | undefined;
      if (payout !== undefined) world.get('payouts', payout, 'payout');
      const now = world.now();
      return {
        body: listPage(
          world,
          'balanceTransactions',
          params,
          '/v1/balance_transactions',
          (transaction) =>
            inRange(transaction.created, created) &&
            (currency === undefined || transaction.currency === currency) &&
            (payout === undefined || transaction.payout === payout) &&
            (source === undefined || transaction.source === source) &&
            (type === undefined || transaction.type === type),
          (transaction) => renderBalanceTransaction(transaction, now),
        ),
      };
    }),
  );
  router.get(
    '/v1/balance_transactions/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderBalanceTransaction(world.get('balanceTransactions', String(request.params.id)), world.now()) };
    }),
  );

  router.get(
    '/v1/payouts',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'arrival_date', 'status', 'destination']);
      const created = optionalRange(params, 'created');
      const arrival = optionalRange(params, 'arrival_date');
      const status = optionalEnum(params, 'status', payoutStatuses);
      return {
        body: listPage(
          world,
          'payouts',
          params,
          '/v1/payouts',
          (payout) =>
            inRange(payout.created, created) && inRange(payout.arrivalDate, arrival) && (status === undefined || payout.status === status),
          renderPayout,
        ),
      };
    }),
  );
  router.get(
    '/v1/payouts/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderPayout(world.get('payouts', String(request.params.id))) };
    }),
  );
  return router;
}
