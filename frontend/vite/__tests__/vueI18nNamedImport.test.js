// @vitest-environment node
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as vue from 'vue'
import { VUE_I18N_BUILD, namedImport } from '../vueI18nNamedImport.js'

// The file a Vite build takes for `import 'vue-i18n'`: the package's
// "import" export (Vite's resolver uses the browser/import conditions).
const require = createRequire(import.meta.url)
const pkgDir = dirname(require.resolve('vue-i18n/package.json'))
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'))
const bundlerBuild = join(pkgDir, pkg.exports['.'].import)

describe('vue-i18n with a named import of Vue', () => {
  it('is applied to the file a build takes for vue-i18n', () => {
    expect(VUE_I18N_BUILD.test(bundlerBuild)).toBe(true)
    expect(VUE_I18N_BUILD.test(join(pkgDir, 'dist', 'vue-i18n.runtime.esm-bundler.js'))).toBe(true)
    expect(VUE_I18N_BUILD.test(join(pkgDir, 'dist', 'vue-i18n.cjs'))).toBe(false)
  })

  it('leaves no namespace import of Vue in the installed vue-i18n', () => {
    const before = readFileSync(bundlerBuild, 'utf8')
    expect(before).toContain("import * as Vue from 'vue';")
    const after = namedImport(before, bundlerBuild)
    expect(after).not.toContain('import * as Vue')
    expect(after).not.toMatch(/\bVue\[/)
    expect(after).toContain("import { getCurrentInstance as vueGetCurrentInstance } from 'vue';")
    // Everything else is untouched: only the import line and the helper change.
    const changed = after.split('\n').filter((line) => !before.includes(line)).length
    expect(changed).toBeLessThanOrEqual(3)
  })

  // vue-i18n's helper reads Vue's `currentInstance` export when there is
  // one and calls getCurrentInstance otherwise; the rewrite always calls
  // getCurrentInstance, which is the same only while Vue has no such export.
  it('calls what vue-i18n called with the Vue the app has', () => {
    expect('currentInstance' in vue).toBe(false)
    expect(typeof vue.getCurrentInstance).toBe('function')
  })

  it('stops the build when vue-i18n is in another form', () => {
    expect(() => namedImport("import { ref } from 'vue';\nexport const x = ref(1)\n", 'vue-i18n.mjs')).toThrow(/vueI18nNamedImport\.js/)
    const source = readFileSync(bundlerBuild, 'utf8')
    const moreUse = source.replace('function createTextNode(key) {', 'const h = Vue.h;\nfunction createTextNode(key) {')
    expect(moreUse).not.toBe(source)
    expect(() => namedImport(moreUse, 'vue-i18n.mjs')).toThrow(/beyond getCurrentInstance/)
  })
})
