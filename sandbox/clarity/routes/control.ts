import express, { Router } from 'express';
import { z } from 'zod';
import { parseBody, pathParam, type StateRef } from '../context.js';
import { faultSchema } from '../faults.js';
import { allScopes } from '../oauth.js';
import { toCents } from '../money.js';
import { customerToWire, orderToWire, productToWire, returnToWire } from '../records.js';

const money = z.string().regex(/^\d+\.\d{2}$/);
const address = z.strictObject({
  firstName: z.string(),
  lastName: z.string(),
  company: z.string().nullable().default(null),
  line1: z.string(),
  line2: z.string().nullable().default(null),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
  phone: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
});

const checkout = z.strictObject({
  customerId: z.string().nullable().optional(),
  email: z.string().optional(),
  lineItems: z.array(z.strictObject({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
  couponCode: z.string().nullable().optional(),
  shippingAddress: address.optional(),
  billingAddress: address.optional(),
  status: z.enum(['pending', 'processing']).optional(),
  transactionType: z.enum(['authorize_and_capture', 'authorize_only']).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});

const productChange = z.strictObject({
  name: z.string().min(1).optional(),
  price: money.optional(),
  active: z.boolean().optional(),
  available: z.number().int().nonnegative().optional(),
});

const customerFields = {
  email: z.email(),
  firstName: z.string(),
  lastName: z.string(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  addresses: z.array(address),
  customerGroup: z.string().min(1).max(64).optional(),
};
const customerRegistration = z.strictObject({
  customerId: z.string().min(1).max(64),
  ...customerFields,
  company: customerFields.company.default(null),
  phone: customerFields.phone.default(null),
  addresses: customerFields.addresses.default([]),
});
const customerChange = z
  .strictObject(customerFields)
  .partial()
  .refine((change) => Object.keys(change).length > 0, 'at least one field to change');

const returnRequest = z.strictObject({
  orderId: z.string(),
  lineItems: z
    .array(
      z.strictObject({
        sku: z.string(),
        quantity: z.number().int().positive(),
        reason: z.string().default('unspecified'),
        restock: z.boolean().default(true),
      }),
    )
    .min(1),
  status: z.enum(['requested', 'approved', 'received', 'refunded', 'rejected']).optional(),
});

const oauthClient = z.strictObject({
  clientSecret: z.string().min(8),
  scopes: z.array(z.enum(allScopes)),
});

const behaviour = z.strictObject({
  badSignature: z.boolean().optional(),
  timestampSkewSeconds: z.number().int().optional(),
  duplicate: z.boolean().optional(),
  copies: z.number().int().min(1).max(10).optional(),
  scatterMs: z.number().int().min(0).max(600_000).optional(),
  seed: z.number().int().optional(),
});

/**
 * `/_sandbox/...`: what a shopper or merchant would do in the storefront (checkout, status
 * changes, catalog edits, returns), which fire the matching webhooks, plus faults, the
 * request log, webhook deliveries and reset. Mounted only when the sandbox is started with
 * `controlEnabled`; it has no authentication of its own.
 */
export function controlRoutes(state: StateRef, reset: () => void): Router {
  const router = Router();
  router.use('/_sandbox', express.json({ limit: '1mb' }));

  router.post('/_sandbox/reset', (_request, response) => {
    reset();
    response.status(204).end();
  });

  router.post('/_sandbox/orders', (request, response) => {
    const input = parseBody(checkout, request.body);
    response.status(201).json(orderToWire(state().store.checkout(input)));
  });

  router.post('/_sandbox/orders/:orderId/status', (request, response) => {
    const { status } = parseBody(
      z.strictObject({ status: z.enum(['pending', 'processing', 'fulfilled', 'cancelled', 'refunded']) }),
      request.body,
    );
    response.json(orderToWire(state().store.setOrderStatus(pathParam(request, 'orderId'), status)));
  });

  router.post('/_sandbox/orders/:orderId/capture', (request, response) => {
    const { amount } = parseBody(z.strictObject({ amount: money.optional() }), request.body ?? {});
    const order = state().store.capturePayment(pathParam(request, 'orderId'), amount === undefined ? undefined : toCents(amount));
    response.status(201).json(orderToWire(order));
  });

  router.post('/_sandbox/orders/:orderId/void', (request, response) => {
    response.status(201).json(orderToWire(state().store.voidPayment(pathParam(request, 'orderId'))));
  });

  router.patch('/_sandbox/products/:sku', (request, response) => {
    const change = parseBody(productChange, request.body);
    const { price, ...rest } = change;
    const product = state().store.updateProduct(pathParam(request, 'sku'), {
      ...rest,
      ...(price !== undefined && { price: toCents(price) }),
    });
    response.json(productToWire(product));
  });

  router.post('/_sandbox/customers', (request, response) => {
    response.status(201).json(customerToWire(state().store.registerCustomer(parseBody(customerRegistration, request.body))));
  });

  router.patch('/_sandbox/customers/:customerId', (request, response) => {
    const change = parseBody(customerChange, request.body);
    response.json(customerToWire(state().store.updateCustomer(pathParam(request, 'customerId'), change)));
  });

  router.post('/_sandbox/returns', (request, response) => {
    response.status(201).json(returnToWire(state().store.createReturn(parseBody(returnRequest, request.body))));
  });

  router.get('/_sandbox/requests', (_request, response) => {
    response.json({ data: state().log.list() });
  });

  router.get('/_sandbox/faults', (_request, response) => {
    response.json({ data: state().faults.list() });
  });

  router.post('/_sandbox/faults', (request, response) => {
    response.status(201).json(state().faults.add(parseBody(faultSchema, request.body)));
  });

  router.delete('/_sandbox/faults', (_request, response) => {
    state().faults.clear();
    response.status(204).end();
  });

  router.put('/_sandbox/oauth-clients/:clientId', (request, response) => {
    const { clientSecret, scopes } = parseBody(oauthClient, request.body);
    state().oauth.registerClient({ clientId: pathParam(request, 'clientId'), clientSecret, scopes });
    response.json({ clientId: pathParam(request, 'clientId'), scopes });
  });

  router.post('/_sandbox/tokens/revoke', (_request, response) => {
    state().oauth.revokeAll();
    response.status(204).end();
  });

  router.get('/_sandbox/webhook-deliveries', (_request, response) => {
    response.json({ data: state().webhooks.deliveries });
  });

  router.put('/_sandbox/webhook-behaviour', (request, response) => {
    const webhooks = state().webhooks;
    webhooks.behaviour = { ...webhooks.behaviour, ...parseBody(behaviour, request.body) };
    response.json(webhooks.behaviour);
  });

  return router;
}
