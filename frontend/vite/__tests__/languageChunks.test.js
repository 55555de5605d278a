// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { chunkFileName, languageOf, problems } from '../languageChunks.js'

const EN = '/app/frontend/src/i18n/locales/en.js'
const EN_LOGIN = '/app/frontend/src/i18n/locales/en/login.json'
const DE = 'C:\\app\\frontend\\src\\i18n\\locales\\de.js'

const chunk = (fileName, moduleIds, imports = []) => ({ type: 'chunk', fileName, moduleIds, imports })

describe('language chunks', () => {
  it('names a language module by its file, on either kind of path', () => {
    expect(languageOf(EN)).toBe('en')
    expect(languageOf(DE)).toBe('de')
    expect(languageOf(EN_LOGIN)).toBe(null)
    expect(languageOf('/app/frontend/src/i18n/index.js')).toBe(null)
    expect(languageOf(undefined)).toBe(null)
  })

  it('gives the language chunk the fixed name the boot script loads, every other a hashed one', () => {
    expect(chunkFileName({ facadeModuleId: EN, name: 'en' })).toBe('assets/messages-en.js')
    expect(chunkFileName({ facadeModuleId: '/app/frontend/src/views/HomeView.vue', name: 'HomeView' })).toBe(
      'assets/[name]-[hash].js',
    )
    // A chunk with no single entry module (core, a shared helper).
    expect(chunkFileName({ facadeModuleId: null, name: 'core' })).toBe('assets/[name]-[hash].js')
  })

  it('accepts a language chunk of its own that imports nothing', () => {
    const bundle = {
      'assets/messages-en.js': chunk('assets/messages-en.js', [EN_LOGIN, EN]),
      'assets/index-abc.js': chunk('assets/index-abc.js', ['/app/frontend/src/main.js'], ['assets/core-def.js']),
    }
    expect(problems(bundle)).toEqual([])
  })

  it('stops a build whose language chunk imports the bundler runtime', () => {
    // What grouping the files with manualChunks made.
    const bundle = {
      'assets/messages-en.js': chunk('assets/messages-en.js', [EN_LOGIN, EN], ['assets/rolldown-runtime-x.js']),
    }
    expect(problems(bundle)).toEqual([
      'assets/messages-en.js imports assets/rolldown-runtime-x.js: the first page would wait for that file too',
    ])
  })

  it('stops a build whose language went into another chunk', () => {
    const bundle = { 'assets/index-abc.js': chunk('assets/index-abc.js', ['/app/frontend/src/main.js', EN]) }
    expect(problems(bundle)).toEqual([
      'the messages of "en" are not in assets/messages-en.js, the file index.html\'s boot script loads',
    ])
  })
})
