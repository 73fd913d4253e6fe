import { defineConfig } from 'vite';

// Bundles the server and the workspace packages it imports into dist/main.js;
// npm dependencies stay external and load from node_modules at run time.
export default defineConfig({
  build: {
    ssr: 'src/main.ts',
    outDir: 'dist',
    target: 'node20',
    sourcemap: true,
    emptyOutDir: true,
  },
  ssr: { noExternal: [/^@kaptar\//] },
});
