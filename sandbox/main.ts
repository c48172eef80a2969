import { loadConfig } from '../config/index.js';
import { describeSandboxes, startSandboxes } from './sandboxes.js';

/** `npm run sandbox`: only the vendor simulators, for trying a client against them. */
const config = loadConfig();
try {
  const sandboxes = await startSandboxes(config);
  process.stdout.write(
    ['[sandbox] ready', ...describeSandboxes(sandboxes.urls, config.sandbox.controlEnabled), 'Ctrl-C stops them.'].join('\n') + '\n',
  );
  const stop = () => {
    void sandboxes.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  process.stderr.write(`[sandbox] ${(error as Error).message}\n`);
  process.exit(1);
}
