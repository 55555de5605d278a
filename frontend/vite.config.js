import { fileURLToPath, URL } from 'node:url'
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { bootstrapSubset } from './vite/bootstrapSubset.js'
import { precompileMessages } from './vite/precompileMessages.js'
import { vueI18nNamedImport } from './vite/vueI18nNamedImport.js'
import { chunkFileName, languageChunks } from './vite/languageChunks.js'

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
  plugins: [vue(), bootstrapSubset(), precompileMessages(), vueI18nNamedImport(), languageChunks(), keepDistPlaceholder()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  // Vue's bundler flags: every component uses the Composition API, so the
  // Options API support stays out of the bundle.
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      output: {
        // Vue and its libraries and the door to Go (src/api, wailsjs) are
        // one chunk, "core", that every page needs: without the rule, how the
        // pages' lazy chunks share modules decides how that code is cut up,
        // and a lazy import added to one page split it into more files for
        // every start. Each language's messages are a chunk of their own
        // with a fixed name (see vite/languageChunks.js).
        manualChunks(id) {
          if (/[\\/]node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify|pinia)[\\/]/.test(id)) return 'core'
          if (/[\\/](src[\\/]api|wailsjs)[\\/]/.test(id)) return 'core'
          return undefined
        },
        chunkFileNames: chunkFileName,
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.{test,spec}.js', 'vite/**/*.{test,spec}.js'],
    restoreMocks: true,
    setupFiles: ['src/test-setup.js'],
  },
})
