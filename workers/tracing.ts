import { createRequire } from 'node:module';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { ProcessTracing } from '../observability/tracing.js';

const require = createRequire(import.meta.url);

/**
 * The package's workflow interceptors (inbound, outbound, internals), bundled into the workflow
 * code only when tracing is on. They run inside the deterministic sandbox and hand finished spans
 * to the `exporter` sink, which is not called during replay.
 */
const workflowTracingModule = require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** What the worker adds when the process traces: workflow interceptors, the activity span, the span sink. */
export interface WorkerTracing {
  workflowModules: string[];
  activity: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<OpenTelemetrySinks>;
}

/**
 * The sink copies the workflow's info onto each of its spans; only ids and names are kept,
 * never its memo, search attributes or last result or failure, which hold business data.
 */
function spanInfoOf(info: WorkflowInfo): WorkflowInfo {
  const { workflowId, runId, workflowType, taskQueue, namespace, attempt } = info;
  return { workflowId, runId, workflowType, taskQueue, namespace, attempt } as WorkflowInfo;
}

/**
 * Temporal's OpenTelemetry interceptors for the product's worker: each workflow run and the
 * activities it schedules become spans under the trace its client started (the API's webhook
 * receipt), and each activity attempt's span is the parent of the vendor calls it makes. Log
 * lines written during an activity carry its trace id through the logger (config/logger.ts).
 */
export function workerTracing(tracing: ProcessTracing): WorkerTracing {
  const exporter = makeWorkflowExporter(tracing.spanProcessor, tracing.resource);
  return {
    workflowModules: [workflowTracingModule],
    activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx, { tracer: tracing.tracer }) })],
    sinks: { exporter: { export: { ...exporter.export, fn: (info, spans) => exporter.export.fn(spanInfoOf(info), spans) } } },
  };
}
