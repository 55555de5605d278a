import { describe, it, expect } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import VirtualRows from '@/components/VirtualRows.vue'

const rows = Array.from({ length: 10000 }, (_, i) => ({ id: String(i + 1), name: `Person ${i + 1}` }))

function mountRows(props = {}) {
  return mount(VirtualRows, {
    props: { rows, rowHeight: 30, tag: 'ul', itemTag: 'li', ...props },
    attrs: { id: 'people' },
    slots: { default: '<template #default="{ row }">{{ row.name }}</template>' },
  })
}

describe('VirtualRows', () => {
  it('renders only the rows in view of 10,000, in a list as tall as all of them', async () => {
    const w = mountRows()
    await flushPromises()
    const items = w.findAll('#people li')
    expect(items.length).toBeGreaterThan(10)
    expect(items.length).toBeLessThan(40)
    expect(items[0].text()).toBe('Person 1')
    expect(w.find('#people').attributes('style')).toContain('height: 300000px')
  })

  it('asks for more when the end of the loaded rows is in view, not before', async () => {
    const few = rows.slice(0, 20)
    const w = mountRows({ rows: few, more: true })
    await flushPromises()
    expect(w.emitted('more')).toBeTruthy()
    const many = mountRows({ rows, more: true })
    await flushPromises()
    expect(many.emitted('more')).toBeFalsy()
    const done = mountRows({ rows: few, more: false })
    await flushPromises()
    expect(done.emitted('more')).toBeFalsy()
  })
})
