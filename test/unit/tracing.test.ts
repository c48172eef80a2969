import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../api/app.js';
import { listen } from '../../api/server.js';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../config/logger.js';
import { IntacctInputError } from '../../connectors/intacct/errors.js';
import { inVendorCallSpan, pathTemplate } from '../../connectors/vendor-call-span.js';
import { startTracing, type ProcessTracing } from '../../observability/tracing.js';

describe('Tracing configuration', () => {
  it('when OTEL_EXPORTER_OTLP_ENDPOINT is unset, then tracing is off and starting it installs nothing', () => {
    const config = loadConfig({});
    expect(config.tracing.tracesUrl).toBeUndefined();
    expect(startTracing(config.tracing, 'test')).toBeUndefined();
    expect(trace.getTracer('any').startSpan('x').isRecording()).toBe(false);
  });

  it('when it is set, then spans go to its /v1/traces with the collector headers and the sample ratio given', () => {
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc=def, tenant = ops',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(config.tracing).toEqual({
      tracesUrl: 'https://collector.example:4318/v1/traces',
      headers: { 'x-api-key': 'abc=def', tenant: 'ops' },
      sampleRatio: 0.25,
    });
  });

  it('when the endpoint is not a URL or the ratio is out of range, then the configuration is refused naming them', () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*OTEL_TRACES_SAMPLER_ARG|OTEL_TRACES_SAMPLER_ARG[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});

describe('Spans as they leave the process', () => {
  let tracing: ProcessTracing | undefined;
  afterEach(async () => {
    await tracing?.shutdown();
    tracing = undefined;
  });
  const start = () => {
    const exporter = new InMemorySpanExporter();
    tracing = startTracing({ tracesUrl: undefined, headers: {}, sampleRatio: 1 }, 'test', { exporter })!;
    return exporter;
  };

  it('when a span carries attributes outside the allowed ids and a failure with a message, then only the ids, the failure type and status code are exported', async () => {
    const exporter = start();
    tracing!.tracer.startActiveSpan('parent', (span) => {
      span.setAttributes({ 'tenant.id': 't-1', 'customer.email': 'lee.ng@example.com', 'http.request.body': '{"password":"x"}' });
      span.recordException(new Error('Customer Lee Ng at 4 Oak St was refused'));
      span.setStatus({ code: 2, message: 'Customer Lee Ng at 4 Oak St was refused' });
      span.end();
    });
    await tracing!.flush();
    const [exported] = exporter.getFinishedSpans();
    expect(exported!.attributes).toEqual({ 'tenant.id': 't-1' });
    expect(exported!.events.map((event) => event.attributes)).toEqual([{ 'exception.type': 'Error' }]);
    expect(exported!.status).toEqual({ code: 2 });
    expect(JSON.stringify(exported!.attributes) + JSON.stringify(exported!.events)).not.toMatch(/Lee|Oak|password/);
  });

  it('when a vendor call fails inside an active span, then its client span is that span child, with the connector type, status and code but not the message', async () => {
    const exporter = start();
    const failure = new IntacctInputError('Customer Lee Ng is on hold', {
      level: 'function',
      functionName: 'create_sotransaction',
      errors: [{ errorno: 'BL01001973', description: 'Customer Lee Ng is on hold', description2: '', correction: '' }],
    });
    await tracing!.tracer.startActiveSpan('RunActivity:createSalesDocument', async (activity) => {
      await expect(
        inVendorCallSpan({ system: 'intacct', operation: 'create_sotransaction', attributes: { 'tenant.id': 't-1' } }, () =>
          Promise.reject(failure),
        ),
      ).rejects.toBe(failure);
      activity.end();
    });
    await tracing!.flush();
    const call = exporter.getFinishedSpans().find((span) => span.name === 'intacct create_sotransaction')!;
    const activity = exporter.getFinishedSpans().find((span) => span.name === 'RunActivity:createSalesDocument')!;
    expect(call.parentSpanId).toBe(activity.spanContext().spanId);
    expect(call.spanContext().traceId).toBe(activity.spanContext().traceId);
    expect(call.attributes).toMatchObject({
      'vendor.system': 'intacct',
      'vendor.operation': 'create_sotransaction',
      'tenant.id': 't-1',
      'error.type': 'IntacctInputError',
      'vendor.code': 'BL01001973',
    });
    expect(JSON.stringify(call.attributes)).not.toContain('Lee');
  });

  it('when a line is logged inside a sampled span, then it carries the trace and span ids; outside one, neither', () => {
    start();
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ logLevel: 'info' }, 'test', { write: (line: string) => void lines.push(JSON.parse(line)) });
    logger.info('outside');
    tracing!.tracer.startActiveSpan('request', (span) => {
      logger.info('inside');
      span.end();
      expect(lines.at(-1)).toMatchObject({ msg: 'inside', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    });
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('when the API answers a request, then its server span is named by route template with its status; probes are not traced', async () => {
    const exporter = start();
    const server = await listen(
      createApp({ logger: pino({ level: 'silent' }), readinessChecks: {}, tracer: tracing!.tracer }),
      0,
      '127.0.0.1',
    );
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/no/such/page?token=secret`)).status).toBe(404);
    } finally {
      await server.close();
    }
    await tracing!.flush();
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['GET unmatched']);
    expect(spans[0]!.parentSpanId).toBeUndefined();
    expect(spans[0]!.attributes).toEqual({ 'http.request.method': 'GET', 'http.route': 'unmatched', 'http.response.status_code': 404 });
  });

  it('when a BigCommerce or Stripe path names records, then the span name has their ids replaced', () => {
    expect(pathTemplate('/orders/104/products')).toBe('/orders/{id}/products');
    expect(pathTemplate('/v1/payouts/po_1NpQ2x')).toBe('/v1/payouts/{id}');
    expect(pathTemplate('/catalog/products')).toBe('/catalog/products');
  });
});
