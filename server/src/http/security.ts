/**
 * Security headers with a Content-Security-Policy the app works under, and
 * per-address request limits for the HTTP API.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TurnsPerAddress } from './in-turn.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** preHandler of the routes anyone may call in bursts (joins, new sessions): see in-turn.ts. */
    takeTurn(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** Requests per minute from one address: a village on one NAT is ~30 phones loading the app at once. */
const REQUESTS_PER_MINUTE = 600;

export const security = fp(
  async (app: FastifyInstance) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Styles come from the built CSS files; Svelte sets dynamic ones through the CSSOM.
          styleSrc: ["'self'"],
          // Board pictures and exports are shown from blob: URLs; the QR code is inline SVG.
          imgSrc: ["'self'", 'blob:', 'data:'],
          // Websockets to this server (y-websocket, socket.io).
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      // The app is often served over plain http on a workshop LAN: no HSTS, no forced upgrades.
      strictTransportSecurity: false,
    });
    await app.register(rateLimit, {
      max: REQUESTS_PER_MINUTE,
      timeWindow: '1 minute',
      // Counted where it arrived, by the process that handed it over (owner-routing.ts).
      allowList: (request) => app.handedOver(request),
      errorResponseBuilder: (_request, context) =>
        tooMany(
          context.statusCode,
          `Too many requests from this address. Try again in ${Math.ceil(context.ttl / 1000)} s.`,
        ),
    });
    app.decorate('takeTurn', new TurnsPerAddress().takeTurn);
  },
  { name: 'kaptar-security' },
);

/**
 * A route's own limit per address and hour (sessions, imports: a moderator makes a few a day) or
 * minute (a follow-up page: a public link whose every view reads boards), on top of the general
 * one; refused with 429 and a sentence saying what and when.
 */
export function perAddress(max: number, what: string, per: 'hour' | 'minute') {
  return {
    rateLimit: {
      max,
      timeWindow: `1 ${per}`,
      errorResponseBuilder: (_request: unknown, context: { statusCode: number; ttl: number }) =>
        tooMany(
          context.statusCode,
          `At most ${max} ${what} ${per === 'hour' ? 'an' : 'a'} ${per} from one address. Try again in ${per === 'hour' ? `${Math.ceil(context.ttl / 60_000)} min` : `${Math.ceil(context.ttl / 1000)} s`}.`,
        ),
    },
  };
}

/** The refusal the rate limiter throws: the error handler (errors.ts) replies `{error: message}`. */
function tooMany(statusCode: number, message: string) {
  return { statusCode, message };
}
