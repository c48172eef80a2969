import net from 'node:net';
import { z } from 'zod';

/** Names Express's `trust proxy` understands for whole ranges (proxy-addr's pre-defined subnets). */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IPv4 or IPv6 address, optionally with a prefix length (`10.0.0.0/8`, `fd00::/8`), or a named range. */
function isTrustedProxyEntry(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * `API_TRUSTED_PROXIES`: a comma-separated list of the reverse proxies whose `X-Forwarded-For`
 * the API believes. Empty (the default) believes no one: the client is the socket's peer.
 */
export const trustedProxiesSetting = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .refine((entries) => entries.every(isTrustedProxyEntry), {
    message: 'give addresses or CIDRs (10.0.0.5, 10.0.0.0/8, fd00::/8) or loopback, linklocal, uniquelocal, separated by commas',
  });
