import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const gateway = `http://127.0.0.1:${process.env.GATEWAY_PORT ?? '8000'}`;
// changeOrigin stays false: the auth service checks the browser's Origin on cookie refreshes.
const proxy = { target: gateway, changeOrigin: false };

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { proxy: { '/api': proxy, '/.well-known': proxy } },
  preview: { proxy: { '/api': proxy, '/.well-known': proxy } },
  build: { target: 'es2022', sourcemap: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
