// Built with AuthDesk's own node_modules (vite, @vitejs/plugin-vue, vue):
// `make bench` runs vite with this folder as the root.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true },
})
