import { fileURLToPath, URL } from 'node:url'
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Go embeds frontend/dist (//go:embed all:frontend/dist) and refuses to compile
// when the folder is empty. Vite empties dist/ at the start of every build, so
// this plugin puts the empty placeholder back once the bundle has been written.
function keepDistPlaceholder() {
  let outDir = 'dist'
  return {
    name: 'authdesk-keep-dist-placeholder',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      mkdirSync(outDir, { recursive: true })
      writeFileSync(resolve(outDir, '.gitkeep'), '')
    },
  }
}

export default defineConfig({
  // Wails serves the bundle from its own scheme; relative URLs work anywhere.
  base: './',
  plugins: [vue(), keepDistPlaceholder()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.{test,spec}.js'],
    restoreMocks: true,
    setupFiles: ['src/test-setup.js'],
  },
})
