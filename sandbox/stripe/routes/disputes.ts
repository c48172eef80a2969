import { Router } from 'express';
import { stripeRoute, type StateRef } from '../context.js';
import { closeDispute, submitEvidence } from '../disputes.js';
import { listPage, listParams } from '../lists.js';
import { allowOnly, inRange, mergeMetadata, optionalBoolean, optionalRange, optionalString } from '../params.js';
import { renderDispute } from '../render.js';

/** Disputes: list, retrieve, update (evidence), close (accept the loss): `/v1/disputes`. */
export function disputeRoutes(state: StateRef): Router {
  const router = Router();
  const route = (handler: Parameters<typeof stripeRoute>[1]) => stripeRoute(state, handler);

  router.get(
    '/v1/disputes',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'charge', 'payment_intent']);
      const created = optionalRange(params, 'created');
      const charge = optionalString(params, 'charge');
      const intent = optionalString(params, 'payment_intent');
      return {
        body: listPage(
          world,
          'disputes',
          params,
          '/v1/disputes',
          (dispute) =>
            inRange(dispute.created, created) &&
            (charge === undefined || dispute.charge === charge) &&
            (intent === undefined || dispute.paymentIntent === intent),
          (dispute) => renderDispute(dispute, world),
        ),
      };
    }),
  );
  router.get(
    '/v1/disputes/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderDispute(world.get('disputes', String(request.params.id)), world) };
    }),
  );
  router.post(
    '/v1/disputes/:id',
    route((params, request, world) => {
      allowOnly(params, ['evidence', 'metadata', 'submit', 'expand']);
      const dispute = world.get('disputes', String(request.params.id));
      dispute.metadata = mergeMetadata(params, dispute.metadata);
      if (params.evidence !== undefined && optionalBoolean(params, 'submit') !== false) submitEvidence(world, dispute);
      return { body: renderDispute(dispute, world) };
    }),
  );
  router.post(
    '/v1/disputes/:id/close',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderDispute(closeDispute(world, world.get('disputes', String(request.params.id)), 'lost'), world) };
    }),
  );
  return router;
}
