// vue-i18n imports Vue as a namespace (`import * as Vue from 'vue'`) and
// reads it with a computed key (`Vue[key]`), for the one function it needs
// that way: getCurrentInstance. A bundler cannot tell which of Vue's exports
// a computed key may want, so it keeps them all: with it, the start-up
// bundle carried Vue's hydration, Transition, TransitionGroup, KeepAlive
// and Suspense, which the app does not use (~50 kB of the 185 kB `core`
// chunk, every byte of it parsed before the first frame; see `make bench`).
//
// This plugin, for builds, gives vue-i18n's bundler build a named import of
// getCurrentInstance instead. That is the function vue-i18n calls with the
// Vue the app has: its helper reads Vue's `currentInstance` export when
// there is one, and Vue 3.5 has none (the unit tests check both facts).
// When vue-i18n's code no longer has the expected form, the build stops and
// says so, rather than quietly keeping all of Vue again.

// The bundler builds of vue-i18n, by file name (the package resolves to one
// of them for `import 'vue-i18n'` in a Vite build).
export const VUE_I18N_BUILD = /[\\/]vue-i18n[\\/]dist[\\/]vue-i18n(\.runtime)?\.(mjs|esm-bundler\.js)$/

const NAMESPACE_IMPORT = "import * as Vue from 'vue';"
// The helper as vue-i18n 11 writes it, whitespace aside.
const HELPER = new RegExp(
  String.raw`function getCurrentInstance\(\) \{\s*// NOTE\(kazupon\): avoid bundler warning\s*` +
    String.raw`const key = 'currentInstance';\s*if \(key in Vue\) \{\s*return Vue\[key\];\s*\}\s*` +
    String.raw`else \{\s*return Vue\.getCurrentInstance\(\);\s*\}\s*\}`,
)

// namedImport rewrites the source of a vue-i18n bundler build; it throws
// when the source is not in the form it knows.
export function namedImport(code, file = 'vue-i18n') {
  if (!code.includes(NAMESPACE_IMPORT) || !HELPER.test(code)) {
    throw new Error(`${file}: vue-i18n no longer imports Vue the way vite/vueI18nNamedImport.js expects; update the plugin`)
  }
  const out = code
    .replace(NAMESPACE_IMPORT, "import { getCurrentInstance as vueGetCurrentInstance } from 'vue';")
    .replace(HELPER, 'function getCurrentInstance() {\n    return vueGetCurrentInstance();\n}')
  if (/\bVue\b[.[]/.test(out)) {
    throw new Error(`${file}: vue-i18n uses the Vue namespace beyond getCurrentInstance; update vite/vueI18nNamedImport.js`)
  }
  return out
}

// vueI18nNamedImport is the Vite plugin.
export function vueI18nNamedImport() {
  return {
    name: 'authdesk-vue-i18n-named-import',
    apply: 'build',
    transform(code, id) {
      if (!VUE_I18N_BUILD.test(id.split('?')[0])) return null
      return { code: namedImport(code, id), map: null }
    },
  }
}
