// Each language's messages (src/i18n/locales/<language>.js, which gathers
// the language's area files) are a chunk with a fixed name,
// assets/messages-<language>.js, so that index.html's boot script can start
// loading the start language before the app's scripts have arrived.
//
// The chunk is the one the bundler makes for the language module's dynamic
// import, so it exports the messages itself and imports nothing. Grouping
// the files into a named chunk with manualChunks did not: the chunk then
// exported a namespace object built by the bundler's runtime helper, a
// second file the language had to wait for before the app could show its
// first page (`make bench` measured the login page ready ~7 ms later).
//
// languageChunks checks this at build time: the build stops when a
// language has no chunk of that name, or when the chunk imports another.

const LANGUAGE_MODULE = /[\\/]src[\\/]i18n[\\/]locales[\\/]([^\\/.]+)\.js$/

// languageOf returns the language whose module id is given ('en' for
// .../src/i18n/locales/en.js), else null.
export function languageOf(moduleId) {
  return moduleId?.match(LANGUAGE_MODULE)?.[1] ?? null
}

// chunkFileName is the build's chunkFileNames: the fixed name for a
// language's chunk, a hashed one for every other.
export function chunkFileName(chunk) {
  const lang = languageOf(chunk.facadeModuleId)
  return lang ? `assets/messages-${lang}.js` : 'assets/[name]-[hash].js'
}

// problems lists what is wrong with a bundle's language chunks.
export function problems(bundle) {
  const langs = new Set()
  for (const out of Object.values(bundle)) {
    if (out.type !== 'chunk') continue
    for (const id of out.moduleIds ?? Object.keys(out.modules ?? {})) {
      const lang = languageOf(id)
      if (lang) langs.add(lang)
    }
  }
  const found = []
  for (const lang of [...langs].sort()) {
    const name = `assets/messages-${lang}.js`
    const chunk = bundle[name]
    if (!chunk || chunk.type !== 'chunk') {
      found.push(`the messages of "${lang}" are not in ${name}, the file index.html's boot script loads`)
    } else if (chunk.imports.length > 0) {
      found.push(`${name} imports ${chunk.imports.join(', ')}: the first page would wait for that file too`)
    }
  }
  return found
}

export function languageChunks() {
  return {
    name: 'authdesk-language-chunks',
    apply: 'build',
    generateBundle(_, bundle) {
      const found = problems(bundle)
      if (found.length > 0) this.error(`language chunks: ${found.join('; ')} (see vite/languageChunks.js)`)
    },
  }
}
