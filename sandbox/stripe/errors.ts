import type { Response } from 'express';

/** The `type` of Stripe's error object (API reference, "Errors"). */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** Stripe's error object: the body is `{ "error": { … } }`. */
export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  payment_intent?: Record<string, unknown>;
  charge?: string;
}

/**
 * A failure answered with Stripe's status code and error object. `remember` says whether an
 * `Idempotency-Key` keeps it: Stripe saves the result once an endpoint began executing (a
 * declined card, a refund refused), not when the parameters failed validation.
 */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly headers: Record<string, string> = {},
    readonly remember = false,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

const docs = 'https://stripe.com/docs/error-codes';

/** 400 `invalid_request_error`, naming the parameter at fault when there is one. */
export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param !== undefined && { param }),
    ...(code !== undefined && { code, doc_url: `${docs}/${code.replaceAll('_', '-')}` }),
  });
}

/** 400 `parameter_missing`. */
export function missingParameter(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
}

/** 404 `resource_missing`, worded as Stripe words it: `No such charge: 'ch_123'`. */
export function noSuch(objectName: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
    doc_url: `${docs}/resource-missing`,
  });
}

/** A state the object cannot go through (a refund larger than what is left, capturing twice): executed, so remembered. */
export function unexpectedState(message: string, code: string, param?: string): StripeApiError {
  return new StripeApiError(
    400,
    {
      type: 'invalid_request_error',
      code,
      message,
      ...(param !== undefined && { param }),
      doc_url: `${docs}/${code.replaceAll('_', '-')}`,
    },
    {},
    true,
  );
}

/** 401 for a missing or unknown key; only the key's last four characters are repeated. */
export function authenticationFailed(presentedKey: string | undefined): StripeApiError {
  const message =
    presentedKey === undefined
      ? "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
      : `Invalid API Key provided: ${presentedKey.slice(0, 8)}${'*'.repeat(Math.max(0, presentedKey.length - 12))}${presentedKey.slice(-4)}`;
  return new StripeApiError(401, { type: 'invalid_request_error', message }, { 'WWW-Authenticate': 'Basic realm="Stripe"' });
}

/** 429 as Stripe answers a burst over the rate limit. */
export function rateLimited(): StripeApiError {
  return new StripeApiError(429, {
    type: 'invalid_request_error',
    code: 'rate_limit',
    message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
    doc_url: `${docs}/rate-limit`,
  });
}

/** 5xx `api_error`. */
export function apiError(status: number): StripeApiError {
  return new StripeApiError(status, { type: 'api_error', message: 'An unknown error occurred' }, { 'Stripe-Should-Retry': 'true' });
}

/** Sends the error as Stripe does: status, headers, `{ error }`. */
export function sendStripeError(response: Response, error: StripeApiError): void {
  response.status(error.status).set(error.headers).json({ error: error.body });
}
