import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// In `pnpm dev`, the API, the Yjs rooms and socket.io are on the Fastify server.
const server = process.env.KAPTAR_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  // Brotli and gzip copies next to each file, served as they are by @fastify/static (preCompressed):
  // phones on slow links get the smallest file without the server compressing on every request.
  plugins: [
    svelte(),
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg)$/ }),
  ],
  build: { target: 'es2020', sourcemap: true },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
