import type { Request } from 'express';

/** Whether a request came from htmx: it then wants a fragment to swap in, not a whole page. */
export function isHtmxRequest(request: Request): boolean {
  return request.get('hx-request') === 'true';
}
