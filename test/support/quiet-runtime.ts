import { DefaultLogger, Runtime, type Logger, type LogLevel, type LogMetadata } from '@temporalio/worker';

// The SDK logs every worker state change at INFO; tests keep warnings and errors only, unless a
// test routes the SDK's lines to a logger of its own (`routeSdkLogs`). The runtime is a
// per-process singleton, so a second install in the same fork is expected to fail; the route
// lives on globalThis so that every copy of this module steers the one runtime installed.
const quiet = new DefaultLogger('WARN');
const routeKey = Symbol.for('intacct-storefront-sync.test.sdk-log-route');
const route = ((globalThis as Record<symbol, { target: Logger } | undefined>)[routeKey] ??= { target: quiet });

const forward =
  (level: LogLevel) =>
  (message: string, meta?: LogMetadata): void => {
    route.target.log(level, message, meta);
  };
const routed: Logger = {
  log: (level, message, meta) => route.target.log(level, message, meta),
  trace: forward('TRACE'),
  debug: forward('DEBUG'),
  info: forward('INFO'),
  warn: forward('WARN'),
  error: forward('ERROR'),
};

try {
  Runtime.install({ logger: routed });
} catch {
  // already installed by an earlier test file in this process
}

/**
 * Sends the SDK's log lines (worker, workflows, activities) to `logger` until the returned
 * function is called; then back to the quiet default. Only while this process's runtime was
 * installed here, which the integration project's setup file does first.
 */
export function routeSdkLogs(logger: Logger): () => void {
  route.target = logger;
  return () => {
    route.target = quiet;
  };
}
