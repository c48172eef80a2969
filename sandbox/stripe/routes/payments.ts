import { Router } from 'express';
import { stripeRoute, type StateRef } from '../context.js';
import { openDispute } from '../disputes.js';
import { invalidRequest } from '../errors.js';
import { listPage, listParams } from '../lists.js';
import {
  allowOnly,
  inRange,
  mergeMetadata,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalRange,
  optionalString,
  requiredCurrency,
  requiredInteger,
} from '../params.js';
import { cancelPaymentIntent, capturePaymentIntent, confirmPaymentIntent, createPaymentIntent, refundCharge } from '../payments.js';
import { renderCharge, renderPaymentIntent, renderRefund } from '../render.js';

/** PaymentIntents, Charges and Refunds: `/v1/payment_intents`, `/v1/charges`, `/v1/refunds`. */
export function paymentRoutes(state: StateRef): Router {
  const router = Router();
  const route = (handler: Parameters<typeof stripeRoute>[1]) => stripeRoute(state, handler);

  router.post(
    '/v1/payment_intents',
    route((params, _request, world) => {
      allowOnly(params, [
        'amount',
        'currency',
        'capture_method',
        'confirm',
        'payment_method',
        'payment_method_types',
        'description',
        'metadata',
        'expand',
      ]);
      const intent = createPaymentIntent(world, {
        amount: requiredInteger(params, 'amount', 1),
        currency: requiredCurrency(params),
        captureMethod: optionalEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async',
        paymentMethod: optionalString(params, 'payment_method') ?? null,
        description: optionalString(params, 'description') ?? null,
        metadata: mergeMetadata(params),
      });
      if (optionalBoolean(params, 'confirm') === true)
        confirmPaymentIntent(world, intent, undefined, (charge) => openDispute(world, charge));
      return { body: renderPaymentIntent(intent) };
    }),
  );
  router.get(
    '/v1/payment_intents',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'customer']);
      const created = optionalRange(params, 'created');
      return {
        body: listPage(
          world,
          'paymentIntents',
          params,
          '/v1/payment_intents',
          (intent) => inRange(intent.created, created),
          renderPaymentIntent,
        ),
      };
    }),
  );
  router.get(
    '/v1/payment_intents/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand', 'client_secret']);
      return { body: renderPaymentIntent(world.get('paymentIntents', String(request.params.id))) };
    }),
  );
  router.post(
    '/v1/payment_intents/:id',
    route((params, request, world) => {
      allowOnly(params, ['description', 'metadata', 'expand']);
      const intent = world.get('paymentIntents', String(request.params.id));
      intent.metadata = mergeMetadata(params, intent.metadata);
      intent.description = optionalString(params, 'description') ?? intent.description;
      return { body: renderPaymentIntent(intent) };
    }),
  );
  router.post(
    '/v1/payment_intents/:id/confirm',
    route((params, request, world) => {
      allowOnly(params, ['payment_method', 'expand', 'return_url']);
      const intent = world.get('paymentIntents', String(request.params.id));
      confirmPaymentIntent(world, intent, optionalString(params, 'payment_method'), (charge) => openDispute(world, charge));
      return { body: renderPaymentIntent(intent) };
    }),
  );
  router.post(
    '/v1/payment_intents/:id/capture',
    route((params, request, world) => {
      allowOnly(params, ['amount_to_capture', 'metadata', 'expand']);
      const intent = world.get('paymentIntents', String(request.params.id));
      capturePaymentIntent(world, intent, optionalInteger(params, 'amount_to_capture', 1));
      intent.metadata = mergeMetadata(params, intent.metadata);
      return { body: renderPaymentIntent(intent) };
    }),
  );
  router.post(
    '/v1/payment_intents/:id/cancel',
    route((params, request, world) => {
      allowOnly(params, ['cancellation_reason', 'expand']);
      const intent = world.get('paymentIntents', String(request.params.id));
      const reason = optionalEnum(params, 'cancellation_reason', [
        'abandoned',
        'duplicate',
        'fraudulent',
        'requested_by_customer',
      ] as const);
      return { body: renderPaymentIntent(cancelPaymentIntent(world, intent, reason)) };
    }),
  );

  router.get(
    '/v1/charges',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'payment_intent', 'customer', 'transfer_group']);
      const created = optionalRange(params, 'created');
      const intent = optionalString(params, 'payment_intent');
      return {
        body: listPage(
          world,
          'charges',
          params,
          '/v1/charges',
          (charge) => inRange(charge.created, created) && (intent === undefined || charge.paymentIntent === intent),
          renderCharge,
        ),
      };
    }),
  );
  router.get(
    '/v1/charges/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderCharge(world.get('charges', String(request.params.id))) };
    }),
  );

  router.post(
    '/v1/refunds',
    route((params, _request, world) => {
      allowOnly(params, ['charge', 'payment_intent', 'amount', 'reason', 'metadata', 'expand']);
      const chargeId = optionalString(params, 'charge');
      const intentId = optionalString(params, 'payment_intent');
      if ((chargeId === undefined) === (intentId === undefined))
        throw invalidRequest(
          'One of the following params should be provided for this request: charge or payment_intent.',
          chargeId === undefined ? 'charge' : 'payment_intent',
        );
      let charge;
      if (chargeId !== undefined) charge = world.get('charges', chargeId, 'charge');
      else {
        const intent = world.get('paymentIntents', intentId!, 'payment_intent');
        if (intent.latestCharge === null || intent.status !== 'succeeded')
          throw invalidRequest(
            `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
            'payment_intent',
            'charge_not_refundable',
          );
        charge = world.get('charges', intent.latestCharge);
      }
      const reason = optionalEnum(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
      const refund = refundCharge(world, charge, optionalInteger(params, 'amount', 1), reason, mergeMetadata(params));
      return { body: renderRefund(refund) };
    }),
  );
  router.get(
    '/v1/refunds',
    route((params, _request, world) => {
      allowOnly(params, [...listParams, 'created', 'charge', 'payment_intent']);
      const created = optionalRange(params, 'created');
      const charge = optionalString(params, 'charge');
      const intent = optionalString(params, 'payment_intent');
      return {
        body: listPage(
          world,
          'refunds',
          params,
          '/v1/refunds',
          (refund) =>
            inRange(refund.created, created) &&
            (charge === undefined || refund.charge === charge) &&
            (intent === undefined || refund.paymentIntent === intent),
          renderRefund,
        ),
      };
    }),
  );
  router.get(
    '/v1/refunds/:id',
    route((params, request, world) => {
      allowOnly(params, ['expand']);
      return { body: renderRefund(world.get('refunds', String(request.params.id))) };
    }),
  );
  return router;
}
