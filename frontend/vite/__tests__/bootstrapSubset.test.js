// @vitest-environment node
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import postcss from 'postcss'
import { neededClasses, sourceFiles, splitSelectors, subsetCss, usedWords } from '../bootstrapSubset.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const full = readFileSync(join(root, 'node_modules/bootstrap/dist/css/bootstrap.min.css'), 'utf8')

// classesDefined lists every class a stylesheet's selectors mention.
function classesDefined(css) {
  const found = new Set()
  postcss.parse(css).walkRules((rule) => {
    for (const m of rule.selector.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) found.add(m[1])
  })
  return found
}

describe("Bootstrap's subset", () => {
  const files = sourceFiles(root)
  const subset = subsetCss(full, usedWords(files))
  const inBootstrap = classesDefined(full)
  const inSubset = classesDefined(subset.css)

  it('keeps every Bootstrap class written in a template, and is much smaller', () => {
    const written = new Set()
    for (const file of files.filter((f) => f.endsWith('.vue') || f.endsWith('.html'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bclass="([^"]*)"/g)) m[1].split(/\s+/).filter(Boolean).forEach((c) => written.add(c))
      // :class="{ 'is-invalid': x }" and :class="x ? 'a b' : 'c'"
      for (const m of text.matchAll(/:class="([^"]*)"/g)) {
        for (const q of m[1].matchAll(/'([^']*)'/g)) q[1].split(/\s+/).filter(Boolean).forEach((c) => written.add(c))
      }
    }
    // Classes of Bootstrap's selectors that can match with only the written
    // classes (.nav-fill .nav-item cannot, while nothing says nav-fill).
    const usable = new Set()
    postcss.parse(full).walkRules((rule) => {
      for (const sel of splitSelectors(rule.selector)) {
        const needed = neededClasses(sel)
        if (needed.length > 0 && needed.every((c) => written.has(c))) needed.forEach((c) => usable.add(c))
      }
    })
    expect(usable.size).toBeGreaterThan(50)
    expect([...usable].filter((c) => !inSubset.has(c))).toEqual([])
    expect(subset.css.length).toBeLessThan(full.length / 3)
    // The dark theme's variables and the spinner's animation are still there.
    expect(subset.css).toContain('[data-bs-theme=dark]')
    expect(subset.css).toContain('@keyframes spinner-border')
  })

  it('finds no Bootstrap class name put together at run time', () => {
    // `btn-${kind}` or 'text-' + tone: the subset cannot see which class that
    // makes. A prefix that no Bootstrap class starts with (the UI's own
    // classes) is fine.
    const assembled = []
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/`([a-z][\w-]*-)\$\{|'([a-z][\w-]*-)'\s*\+/g)) assembled.push([file, m[1] || m[2]])
    }
    const risky = assembled.filter(([, prefix]) => [...inBootstrap].some((c) => c.startsWith(prefix)))
    expect(risky.map(([file, prefix]) => `${file.slice(root.length + 1)}: ${prefix}`)).toEqual([])
  })

  it('reads selectors as a browser matches them', () => {
    expect(splitSelectors('.a:is(.b,.c),.d')).toEqual(['.a:is(.b,.c)', '.d'])
    expect(neededClasses('.btn-group>.btn:not(:last-child):not(.dropdown-toggle)')).toEqual(['btn-group', 'btn'])
    expect(neededClasses('[data-x=".y"] .z')).toEqual(['z'])
  })

  it('drops rules the words cannot match, and custom properties nothing reads', () => {
    const css = ':root{--bs-a:1px;--bs-b:var(--bs-c);--bs-c:2px;--bs-d:3px}.x{width:var(--bs-a)}.y{color:red}.x,.y{margin:0}@media (min-width:1px){.y{top:0}}'
    const out = subsetCss(css, new Set(['x', 'bs-d']))
    expect(out.css).toBe(':root{--bs-a:1px;--bs-d:3px}.x{width:var(--bs-a)}.x{margin:0}')
    expect(out.pruned).toBe(2)
  })
})
