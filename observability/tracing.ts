import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TracingConfig } from '../config/tracing.js';
import { PrivateSpanProcessor } from './span-privacy.js';

/** The name every span the product itself starts is recorded under. */
export const productTracerName = 'intacct-storefront-sync';

/** A process's tracing, once started: what its Temporal clients, worker and API hang on it. */
export interface ProcessTracing {
  /** The product's own spans (the API's request spans). */
  readonly tracer: Tracer;
  /** For every Temporal client of the process: starts, signals and queries carry the trace to the workflow. */
  readonly clientInterceptors: ClientInterceptors;
  /** Where the worker's workflow span sink hands finished workflow spans (already stripped of private data). */
  readonly spanProcessor: SpanProcessor;
  /** The process's service name, as every span carries it. */
  readonly resource: Resource;
  /** Exports what is buffered now (tests, shutdown). */
  flush(): Promise<void>;
  /** Exports what is left and removes the process-wide tracer, context manager and propagator. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for one process when an OTLP endpoint is configured, and does
 * nothing (returns undefined) otherwise: without it no tracer, context manager or interceptor is
 * installed, so an untraced installation pays nothing. Spans are batched, stripped of private
 * data (observability/span-privacy.ts) and posted as OTLP/HTTP JSON; W3C trace context carries a
 * trace from the API's webhook receipt through Temporal headers to workflows and activities.
 * `exporter` replaces the OTLP exporter (tests).
 */
export function startTracing(
  config: TracingConfig,
  serviceName: string,
  options: { exporter?: SpanExporter } = {},
): ProcessTracing | undefined {
  if (config.tracesUrl === undefined && options.exporter === undefined) return undefined;
  const resource = new Resource({ 'service.name': serviceName });
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: config.tracesUrl, headers: config.headers });
  const spanProcessor = new PrivateSpanProcessor(new BatchSpanProcessor(exporter));
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [spanProcessor],
  });
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable(), propagator: new W3CTraceContextPropagator() });
  const tracer = provider.getTracer(productTracerName);
  return {
    tracer,
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] },
    spanProcessor,
    resource,
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
