/** The Clarity eCommerce connector: a typed client per tenant, its model and its errors. */
export { ClarityClient, allPages, type ClarityClientOptions, type ClarityCredentials, type ClarityWriteOptions } from './client.js';
export {
  ClarityAuthError,
  ClarityError,
  ClarityInputError,
  ClarityRetryableError,
  ClarityUnexpectedResponseError,
  type ClarityErrorType,
} from './errors.js';
export type * from './model.js';
export { eventFromWire as clarityEventFromWire, clarityEventTypes, clarityHeaders } from './wire-mapping.js';
export { clarityScopesFor } from './wire-protocol.js';
