// Hocuspocus (3.4, the last line that runs on Node 20) with no extensions and no hooks: no auth,
// no persistence. The benchmark runs it beside Kaptár and @y/websocket-server on the same load.
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true });
await server.listen();
process.send?.({ port: server.address.port });
