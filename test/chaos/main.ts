import { parseArgs } from 'node:util';
import { runChaos } from './run.js';

const usage = 'usage: npm run chaos -- --orders <n ≥ 1> --seed <integer> [--rate <orders per second>] [--bad-input <requests>] [--keep]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      orders: { type: 'string' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      'bad-input': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const integer = (name: string, fallback: number | undefined, min: number): number => {
  const raw = values[name];
  if (raw === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw) || Number(raw) < min || !Number.isSafeInteger(Number(raw)))
    fail(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(raw)}`);
  return Number(raw);
};
const orders = integer('orders', undefined, 1);
const seed = integer('seed', undefined, 0);
const badInputRequests = integer('bad-input', 500, 0);
const rateRaw = values.rate;
const ordersPerSecond = rateRaw === undefined ? 2 : Number(rateRaw);
if (!(ordersPerSecond > 0) || !Number.isFinite(ordersPerSecond)) fail(`--rate must be a positive number, not ${JSON.stringify(rateRaw)}`);

const started = Date.now();
let summary: Awaited<ReturnType<typeof runChaos>>;
try {
  summary = await runChaos({
    orders,
    seed,
    badInputRequests,
    ordersPerSecond,
    keepWorkDir: values.keep === true,
    log: (line) => process.stderr.write(`[chaos +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
  });
} catch (error) {
  process.stderr.write(`the chaos run could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exit(summary.violations.length === 0 ? 0 : 1);
