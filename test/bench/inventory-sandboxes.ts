import { startBigCommerceSandbox } from '../../sandbox/bigcommerce/index.js';
import { startIntacctSandbox } from '../../sandbox/intacct/index.js';

/**
 * The inventory benchmark's sandboxes in a process of their own, so the catalogues they hold
 * (hundreds of MB at 100k SKUs) stay out of the measured worker's memory. Prints their URLs as
 * one JSON line, then serves until stdin closes (the benchmark ending, however it ends).
 */
const [intacct, bigcommerce] = await Promise.all([
  startIntacctSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
  startBigCommerceSandbox({ port: 0, host: '127.0.0.1', controlEnabled: true }),
]);
process.stdout.write(`${JSON.stringify({ intacct: intacct.url, bigcommerce: bigcommerce.url })}\n`);

const stop = async () => {
  await Promise.allSettled([intacct.close(), bigcommerce.close()]);
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.once('SIGTERM', () => void stop());
