import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

// WCAG 2.x relative luminance and contrast ratio.
function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  const lin = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

describe('focus ring in the dark nav bar', () => {
  it('is a solid outline with at least 3:1 contrast against the bar (WCAG 2.2)', () => {
    const css = readFileSync(resolve(__dirname, '../../assets/main.css'), 'utf8')
    const rule = css.match(/\.navbar\.bg-dark \.nav-link:focus-visible[^{]*\{([^}]*)\}/)
    expect(rule, 'a :focus-visible rule for the nav bar links').not.toBeNull()
    const outline = rule[1].match(/outline:\s*(\d+)px solid (#[0-9a-fA-F]{6})/)
    expect(outline, 'a solid outline with a colour').not.toBeNull()
    expect(Number(outline[1])).toBeGreaterThanOrEqual(2)
    const bar = '#212529' // Bootstrap's bg-dark
    expect(contrast(outline[2], bar)).toBeGreaterThanOrEqual(3)
  })
})
