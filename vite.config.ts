import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The web app lives in web/ and builds into dist/, which the server serves. vitest runs only the React
// component tests here (web/**/*.test.tsx); server and integration tests run under node:test.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:3000', '/integrations': 'http://localhost:3000' } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'web', root: '.', include: ['web/**/*.test.tsx'], environment: 'jsdom' },
      },
    ],
  },
});
