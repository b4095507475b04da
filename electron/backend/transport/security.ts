/** Security rules shared by the console's shells: the page's CSP and the browser shell's token and host checks. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Nothing is loaded from elsewhere; no inline script, no eval, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Compares through fixed-length digests so neither the length nor the content leaks through timing. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * The Host header must name this server on a loopback name: a page on another site that rebinds its DNS name to
 * 127.0.0.1 still sends its own name as Host, and is refused.
 */
export function allowedHostNames(host: string, port: number): Set<string> {
  const names = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (host !== '0.0.0.0' && host !== '::') names.add(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
  return names;
}

export function isAllowedOrigin(origin: string | undefined, hosts: Set<string>): boolean {
  if (origin === undefined) return true;
  const match = /^http:\/\/([^/]+)$/.exec(origin);
  return match !== null && hosts.has(match[1]!.toLowerCase());
}
