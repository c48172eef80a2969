import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeTemplate } from './metrics-routes.js';

/** Probes and scrapes, polled every few seconds: a trace each would bury the deliveries. */
const untracedPaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One server span per request (but health probes and metric scrapes), the root of whatever the request causes: a webhook's span is the
 * parent of the workflow start it makes, so the trace runs on through the workflow, its
 * activities and their vendor calls. The request's events (its body arriving, its answer) are
 * bound to the span's context, so handlers that continue from a stream callback still see it.
 * Named by method and route template once answered; no URL, query, header or body is recorded
 * (they carry tenants' signatures, keys and shoppers' data).
 */
export function traceRequests(tracer: Tracer): RequestHandler {
  return (request, response, next) => {
    if (untracedPaths.has(request.path)) {
      next();
      return;
    }
    const span = tracer.startSpan(request.method, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method },
    });
    const traced = trace.setSpan(context.active(), span);
    context.bind(traced, request);
    context.bind(traced, response);
    response.once('finish', () => {
      const route = routeTemplate(request, response);
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(traced, next);
  };
}
