import { DefaultLogger, type ActivityInterceptorsFactory, type LogLevel } from '@temporalio/worker';
import type { Config } from '../config/index.js';
import type { Logger } from '../config/logger.js';

const pinoLevels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The SDK's log lines (the worker's own, and what workflows and activities write through
 * Temporal's `log`) as JSON lines of the process's logger, under `sdk`, so its redaction covers
 * them too. The SDK's INFO chatter (bundle sizes, state changes) is kept out unless the log
 * level asks for debug.
 */
export function sdkLogger(logger: Logger, logLevel: Config['logLevel']): DefaultLogger {
  return new DefaultLogger(logLevel === 'debug' || logLevel === 'trace' ? 'DEBUG' : 'WARN', (entry) => {
    logger[pinoLevels[entry.level]]({ sdk: withErrorMessage(entry.meta) }, entry.message);
  });
}

/**
 * The SDK passes an activity's failure as an `Error` under `error`, whose message is not an
 * enumerable field, so the line said only "IntacctRetryableError" and not what failed. Connector
 * errors are written without credentials (and redaction still applies), so the message is kept.
 */
function withErrorMessage(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const error = meta?.error;
  if (!(error instanceof Error)) return meta;
  const { type } = error as { type?: unknown };
  return { ...meta, error: { ...error, type: typeof type === 'string' ? type : error.name, message: error.message } };
}

/**
 * Leaves the activity's task token out of every line its logger writes. The SDK adds it to an
 * activity's log attributes by default, but whoever holds a task token can complete, fail or
 * heartbeat that activity through the client API: it is a credential, not a trace id (the
 * workflow and activity ids already say which activity a line is about).
 */
export const activityLogsWithoutTaskToken: ActivityInterceptorsFactory = () => ({
  outbound: {
    getLogAttributes: (input, next) => {
      const { taskToken: _taskToken, ...attributes } = next(input);
      return attributes;
    },
  },
});
