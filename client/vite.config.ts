import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// In `pnpm dev`, the API, the Yjs rooms and socket.io are on the Fastify server.
const server = process.env.KAPTAR_DEV_SERVER ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [svelte()],
  build: { target: 'es2020', sourcemap: true },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
