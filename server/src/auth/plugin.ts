/**
 * Resolves bearer tokens to principals. Every entry point (HTTP, Yjs rooms,
 * socket.io) authenticates through `app.authenticate`, so the rule lives once.
 */
import type { Principal } from '@kaptar/protocol';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ParticipantRecord } from '../storage/store.js';
import { ConnectionLimit } from './connection-limit.js';
import { hashToken } from './secrets.js';

export interface Authenticated extends Principal {
  participant: ParticipantRecord;
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(token: string | undefined): Promise<Authenticated | undefined>;
    connectionLimit: ConnectionLimit;
  }
}

/** The token from `Authorization: Bearer <token>`. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
}

const MAX_TOKEN_LENGTH = 200;

export interface AuthPluginOptions {
  maxConnectionsPerAddress: number;
  maxConnectionsPerToken: number;
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app, options) => {
    app.decorate(
      'connectionLimit',
      new ConnectionLimit({
        perAddress: options.maxConnectionsPerAddress,
        perToken: options.maxConnectionsPerToken,
      }),
    );
    app.decorate('authenticate', async (token: string | undefined) => {
      if (!token || token.length > MAX_TOKEN_LENGTH) return undefined;
      const participant = await app.store.findParticipantByTokenHash(hashToken(token));
      if (!participant) return undefined;
      return {
        role: participant.role,
        sessionId: participant.sessionId,
        participantId: participant.id,
        participant,
      };
    });
  },
  { name: 'kaptar-auth', dependencies: ['kaptar-storage'] },
);
