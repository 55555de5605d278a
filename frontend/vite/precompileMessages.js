// The UI's messages (src/i18n/locales/<language>/<area>.json), compiled to
// JavaScript functions when the app is built.
//
// vue-i18n can compile "Try again in {n} s" when it is first shown, but then
// the page has to load and run its message compiler before the first frame.
// Built this way, the bundle carries ready functions and leaves the compiler
// out (the __INTLIFY_DROP_MESSAGE_COMPILER__ flag), along with the legacy
// API the UI does not use (see `make bench` for what start-up gains).
// vite/__tests__/precompileMessages.test.js checks that every message says
// the same precompiled as compiled at run time.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { baseCompile } from '@intlify/message-compiler'

const PREFIX = '\0authdesk-messages:'
const LOCALE_FILE = /[\\/]src[\\/]i18n[\\/]locales[\\/][^\\/]+[\\/][^\\/]+\.json$/

// compileMessage returns JavaScript source for one message: a function of
// vue-i18n's message context. A message with nothing to fill in is a
// function returning its text, the shortest form.
export function compileMessage(message, where) {
  const problems = []
  const onError = (err) => problems.push(err.message)
  const { ast } = baseCompile(message, { jit: true, onError })
  const fixed = problems.length === 0 && typeof ast.body?.static === 'string' ? ast.body.static : null
  const { code } = fixed === null ? baseCompile(message, { mode: 'arrow', onError }) : { code: `() => ${JSON.stringify(fixed)}` }
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')} in ${JSON.stringify(message)}`)
  return code
}

// messagesModule turns a locale file's JSON into an ES module whose default
// export has the same keys, each message a compiled function.
export function messagesModule(json, file = 'messages') {
  const tree = JSON.parse(json)
  const emit = (node, path) => {
    if (typeof node === 'string') return compileMessage(node, `${file}: ${path}`)
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      const entries = Object.entries(node).map(([k, v]) => `${JSON.stringify(k)}: ${emit(v, path ? `${path}.${k}` : k)}`)
      return `{${entries.join(',\n')}}`
    }
    throw new Error(`${file}: ${path} is neither a message nor a group of messages`)
  }
  return `export default ${emit(tree, '')}\n`
}

// The flags of vue-i18n's bundler build that drop what precompiled messages
// and the Composition API leave unused.
export const I18N_FLAGS = {
  __VUE_I18N_FULL_INSTALL__: 'false',
  __VUE_I18N_LEGACY_API__: 'false',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'true',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
}

// precompileMessages is the Vite plugin, for builds only: the unit tests
// load the JSON as it is and compile at run time.
export function precompileMessages() {
  return {
    name: 'authdesk-precompile-messages',
    apply: 'build',
    enforce: 'pre',
    config() {
      return { define: I18N_FLAGS }
    },
    // A locale file gets an id of its own (not ending in .json), so Vite's
    // JSON loader leaves it to load() below.
    resolveId(source, importer) {
      if (!importer || !source.endsWith('.json')) return null
      const file = resolve(dirname(importer.split('?')[0]), source)
      return LOCALE_FILE.test(file) ? `${PREFIX}${file}.js` : null
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null
      const file = id.slice(PREFIX.length, -'.js'.length)
      this.addWatchFile?.(file)
      return { code: messagesModule(readFileSync(file, 'utf8'), file.slice(file.lastIndexOf('locales'))), map: null }
    },
  }
}
