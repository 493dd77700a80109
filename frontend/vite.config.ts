import { defineConfig } from "vite";

// No @preact/preset-vite: Preact needs only the automatic JSX runtime, which Vite's own transform provides.
export default defineConfig({
  base: "/",
  oxc: {
    jsx: { runtime: "automatic", importSource: "preact" },
  },
  build: {
    outDir: "dist",
    target: "es2022",
    modulePreload: { polyfill: false },
  },
  server: {
    // The Python app serves /api locally on :8000; `npm run dev` forwards to it.
    proxy: { "/api": "http://localhost:8000" },
  },
});
