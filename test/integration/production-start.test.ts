import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/index.js';

// Finding 5 of the security review: APP_MODE=production started with weak settings. Each
// process is started as an operator would start it, and must refuse before listening or
// connecting, with one message naming every problem.

/** Everything weak the review found production accepting, at once. */
const weakProduction = {
  APP_MODE: 'production',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  MONGODB_URI: 'mongodb://127.0.0.1:1/',
  ADMIN_API_KEY: 'abcdefghijkl',
  CREDENTIALS_KEYS: `zero:${Buffer.alloc(32).toString('base64')}`,
  LOG_LEVEL: 'trace',
  SANDBOX_CONTROL: 'true',
  API_HOST: '0.0.0.0',
  API_PORT: '0',
};

interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Runs an entry point; kills it (and reports code null) if it is still running after `timeoutMs`. */
function run(entry: string, environment: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, entry)], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('production start-up with weak settings', () => {
  it.each(['api/main.ts', 'workers/main.ts'])(
    'when %s is started in production with every weak setting then it exits 1 with one message listing each problem',
    async (entry) => {
      const exit = await run(entry, weakProduction);
      expect(exit.code, `${entry} exited (stdout: ${exit.stdout.slice(0, 300)})`).toBe(1);
      expect(exit.stderr.match(/invalid configuration/g)).toHaveLength(1);
      for (const variable of [
        'ADMIN_API_KEY',
        'CREDENTIALS_KEYS',
        'PAYLOAD_CODEC_KEYS',
        'TEMPORAL_TLS',
        'MONGODB_URI',
        'LOG_LEVEL',
        'SANDBOX_CONTROL',
        'API_HOST',
      ])
        expect(exit.stderr, variable).toContain(`\n  ${variable}:`);
      // Refused, not crashed: no stack trace, and the weak secrets are not echoed.
      expect(exit.stderr).not.toMatch(/\n\s+at /);
      expect(exit.stderr).not.toContain(weakProduction.ADMIN_API_KEY);
      expect(exit.stdout).not.toContain('API listening');
    },
  );
});
