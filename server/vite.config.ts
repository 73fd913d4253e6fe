import { defineConfig } from 'vite';

// Bundles the server and the workspace packages it imports into dist/main.js, and the worker
// that reads uploaded archives into dist/archive-reader.js (started by src/archive/read-off-thread.ts);
// npm dependencies stay external and load from node_modules at run time.
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist',
    target: 'node20',
    sourcemap: true,
    emptyOutDir: true,
    rollupOptions: {
      input: { main: 'src/main.ts', 'archive-reader': 'src/archive/archive-reader.ts' },
      output: { entryFileNames: '[name].js' },
    },
  },
  ssr: { noExternal: [/^@kaptar\//] },
});
