// @vitest-environment node
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messagesModule } from '../precompileMessages.js'

const locales = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'i18n', 'locales')
const work = mkdtempSync(join(tmpdir(), 'authdesk-messages-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// leaves lists [dotted key, message] of a message tree.
const leaves = (tree, prefix = '') =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v]]))

// The language folders (locales/<language>.js beside them gathers each).
const languages = readdirSync(locales, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)

// A value for every placeholder the messages use ({n} gets a number).
const named = { n: 3 }
for (const lang of languages) {
  for (const file of readdirSync(join(locales, lang)).filter((f) => f.endsWith('.json'))) {
    for (const m of readFileSync(join(locales, lang, file), 'utf8').matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)) named[m[1]] ??= `<${m[1]}>`
  }
}

describe('precompiled messages', () => {
  for (const lang of languages) {
    it(`say in ${lang} what vue-i18n's run-time compiler makes of them`, async () => {
      const plain = {}
      const compiled = {}
      for (const file of readdirSync(join(locales, lang)).filter((f) => f.endsWith('.json'))) {
        const area = file.replace(/\.json$/, '')
        const json = readFileSync(join(locales, lang, file), 'utf8')
        plain[area] = JSON.parse(json)
        const out = join(work, `${lang}-${area}.mjs`)
        writeFileSync(out, messagesModule(json, `${lang}/${file}`))
        compiled[area] = (await import(pathToFileURL(out).href)).default
      }
      const opts = { legacy: false, locale: lang, missingWarn: false, fallbackWarn: false }
      const runtime = createI18n({ ...opts, messages: { [lang]: plain } }).global
      const built = createI18n({ ...opts, messages: { [lang]: compiled } }).global
      const keys = leaves(plain)
      expect(keys.length).toBeGreaterThan(100)
      expect(Object.keys(named).length).toBeGreaterThan(3)
      for (const [key, source] of keys) {
        expect(built.t(key, named), key).toBe(runtime.t(key, named))
        if (source.includes('|')) {
          // As the UI calls them: t(key, n) and t(key, { n }, n).
          for (const n of [0, 1, 5]) {
            expect(built.t(key, n), `${key} (${n})`).toBe(runtime.t(key, n))
            expect(built.t(key, { ...named, n }, n), `${key} ({n: ${n}})`).toBe(runtime.t(key, { ...named, n }, n))
          }
        }
      }
    })
  }

  it('names the file and key of a message that does not compile', () => {
    expect(() => messagesModule('{"a":{"b":"Hello {name"}}', 'en/x.json')).toThrow(/en\/x\.json: a\.b: .*"Hello \{name"/)
  })

  it('refuses a value that is neither a message nor a group', () => {
    expect(() => messagesModule('{"a":[1]}', 'en/x.json')).toThrow(/en\/x\.json: a is neither/)
  })
})
