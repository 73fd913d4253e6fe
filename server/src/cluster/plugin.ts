/**
 * The cluster (KAPTAR_REDIS_URL with a PostgreSQL store): several Kaptár processes behind a load
 * balancer, each session (its boards and session document) owned by one of them at a time. Without
 * it `app.cluster` is null and the process serves every session itself, as the embedded default.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { Inbox } from './inbox.js';
import { Ownership } from './ownership.js';
import { StreamReader } from './stream-reader.js';

export interface Cluster {
  readonly processId: string;
  readonly ownership: Ownership;
  readonly inbox: Inbox;
  readonly reader: StreamReader;
  /** Commands (XADD, the leases); fails at once while Redis is unreachable, never queues. */
  readonly redis: Redis;
  /** Whether this process serves the session's writes now (taking the session if nobody owns it). */
  owns(sessionId: string): Promise<boolean>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cluster: Cluster | null;
  }
}

export const clusterPlugin = fp(
  async (app: FastifyInstance, options: { redisUrl: string | null }) => {
    if (!options.redisUrl) {
      app.decorate('cluster', null);
      return;
    }
    const connect = (name: string) => {
      const redis = new Redis(options.redisUrl as string, {
        connectionName: `kaptar-${name}`,
        // A command while Redis is down fails at once (the caller decides); it is never queued
        // and sent late, after its moment has passed.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
        lazyConnect: true,
      });
      // Connection errors are reported where a command fails; ioredis reconnects by itself.
      redis.on('error', () => undefined);
      return redis;
    };
    const redis = connect('commands');
    const reading = connect('reader');
    await Promise.all([redis.connect(), reading.connect()]);
    const ownership = new Ownership(redis, app.log);
    const reader = new StreamReader(reading, redis, app.log);
    const inbox = new Inbox(redis, reader, ownership.processId, app.log, (ids) => ownership.running(ids));
    const cluster: Cluster = {
      processId: ownership.processId,
      ownership,
      inbox,
      reader,
      redis,
      owns: async (sessionId) => (await ownership.ownerOf(sessionId)) === ownership.processId,
    };
    app.decorate('cluster', cluster);
    app.log.info({ processId: ownership.processId }, 'in a cluster: sessions are owned through Redis');
    app.addHook('onClose', async () => {
      // After the rooms saved (registered first, closed last): leases go only once nothing is left to write.
      await ownership.close();
      inbox.close();
      reader.close();
      redis.disconnect();
      reading.disconnect();
    });
  },
  { name: 'kaptar-cluster' },
);
