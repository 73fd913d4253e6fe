/** Entry point of `pnpm start`: configuration from the environment, then listen. */
import { buildApp } from './app.js';
import { configFromEnv } from './config.js';

const config = configFromEnv();
const app = await buildApp(config);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping: saving boards');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  });
}

try {
  await app.listen({ host: config.host, port: config.port });
  app.log.info(`Kaptár is ready: open http://localhost:${config.port}/ in a browser`);
} catch (error) {
  app.log.error({ err: error }, 'could not start');
  process.exit(1);
}
