// Bootstrap's stylesheet, cut down to the rules the UI can use.
//
// bootstrap.min.css is 230 kB: parsing it and matching its ~5,000 rules
// against the page was a third of the time from the window opening to the
// painted login page (see `make bench`). The UI uses a small part of it, so
// the build keeps a rule only when every class its selector needs is a word
// that appears somewhere in the UI's source (src/ and index.html). The word
// list is generous: a class named in a comment or a string keeps its rules
// too. What it cannot see is a class name put together at run time
// (`btn-${kind}`): the UI must write class names out in full, and a test
// (vite/__tests__/bootstrapSubset.test.js) fails when one is assembled.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import postcss from 'postcss'

// Files whose words count: the UI's sources, not its tests.
export function sourceFiles(root) {
  const found = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__' && entry.name !== 'node_modules') walk(path)
      } else if (/\.(vue|js|html)$/.test(entry.name) && !/\.(test|spec)\.js$/.test(entry.name)) {
        found.push(path)
      }
    }
  }
  walk(join(root, 'src'))
  found.push(join(root, 'index.html'))
  return found.sort()
}

// usedWords returns every word (letters, digits, - and _) in the files.
export function usedWords(files) {
  const words = new Set()
  for (const file of files) {
    for (const w of readFileSync(file, 'utf8').match(/[A-Za-z_][\w-]*/g) ?? []) words.add(w)
  }
  return words
}

// splitSelectors splits a selector list at its top-level commas (a comma
// inside :is(...) or :not(...) belongs to that selector).
export function splitSelectors(list) {
  const parts = []
  let depth = 0
  let start = 0
  for (let i = 0; i < list.length; i++) {
    const c = list[i]
    if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (c === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(list.slice(start).trim())
  return parts.filter(Boolean)
}

// neededClasses lists the classes an element must have for the selector to
// match it. A class under :not(...) is one it must not have, so it does not
// count.
export function neededClasses(selector) {
  let s = selector
  // Remove :not(...) groups, innermost first.
  for (let prev = ''; prev !== s; ) {
    prev = s
    s = s.replace(/:not\([^()]*\)/g, '')
  }
  s = s.replace(/\[[^\]]*\]/g, '') // attribute values may hold dots
  return [...s.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((m) => m[1])
}

// subsetCss keeps the rules of css whose selectors can match with the used
// words; of a rule with several selectors, only the usable ones stay. Then
// the custom properties nobody reads go, and rules and at-rules left empty.
// Returns the new stylesheet and counts.
export function subsetCss(css, words) {
  const root = postcss.parse(css)
  let kept = 0
  let dropped = 0
  root.walkRules((rule) => {
    if (rule.parent?.type === 'atrule' && /keyframes$/i.test(rule.parent.name)) return
    const selectors = splitSelectors(rule.selector)
    const usable = selectors.filter((sel) => neededClasses(sel).every((c) => words.has(c)))
    if (usable.length === 0) {
      rule.remove()
      dropped++
      return
    }
    if (usable.length < selectors.length) rule.selector = usable.join(',')
    kept++
  })
  // Custom properties nothing reads: Bootstrap declares its whole palette
  // (--bs-indigo, --bs-pink-rgb, ...) on :root and every element inherits
  // them, which costs style time on every element. A property stays when a
  // kept rule reads it with var() or the UI's source names it; removing one
  // can leave another unread, so this repeats until nothing changes.
  let pruned = 0
  for (let removed = -1; removed !== 0; ) {
    removed = 0
    const read = new Set()
    root.walkDecls((d) => {
      for (const m of d.value.matchAll(/var\(\s*(--[\w-]+)/g)) read.add(m[1])
    })
    root.walkDecls((d) => {
      if (d.prop.startsWith('--') && !read.has(d.prop) && !words.has(d.prop.slice(2))) {
        d.remove()
        removed++
      }
    })
    pruned += removed
  }
  root.walkRules((rule) => {
    if (rule.nodes.length === 0) rule.remove()
  })
  // Innermost first, so an @media holding only an emptied @supports goes too.
  const empty = []
  root.walkAtRules((at) => {
    if (at.nodes && at.nodes.length === 0) empty.push(at)
  })
  for (const at of empty.reverse()) {
    let node = at
    while (node && node.type === 'atrule' && node.nodes?.length === 0) {
      const parent = node.parent
      node.remove()
      node = parent
    }
  }
  return { css: root.toString(), kept, dropped, pruned }
}

// bootstrapSubset is the Vite plugin: Bootstrap's stylesheet, as imported by
// src/main.js, becomes the subset. Builds and the dev server alike.
export function bootstrapSubset({ root } = {}) {
  let base = root
  return {
    name: 'authdesk-bootstrap-subset',
    enforce: 'pre',
    configResolved(config) {
      base ??= config.root
    },
    transform(code, id) {
      const file = id.split('?')[0]
      if (!/[\\/]bootstrap[\\/]dist[\\/]css[\\/]bootstrap(\.min)?\.css$/.test(file)) return null
      const files = sourceFiles(base)
      for (const f of files) this.addWatchFile?.(f)
      const { css } = subsetCss(code, usedWords(files))
      return { code: css, map: null }
    },
  }
}

