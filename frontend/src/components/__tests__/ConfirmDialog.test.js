import { describe, it, expect, afterEach } from 'vitest'
import { mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import ConfirmDialog from '@/components/ConfirmDialog.vue'

const props = { id: 'q', title: 'Discard changes?', text: 'Your edits are lost.', confirmLabel: 'Discard', cancelLabel: 'Keep editing' }

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ConfirmDialog', () => {
  it('starts on the safe answer, keeps Tab inside, answers Esc with cancel and gives the focus back', async () => {
    const before = document.createElement('button')
    document.body.appendChild(before)
    before.focus()
    const w = mount(ConfirmDialog, { props: { ...props, open: false }, attachTo: document.body })
    await w.setProps({ open: true })
    await nextTick()
    const cancel = w.find('#q-cancel').element
    expect(document.activeElement).toBe(cancel)

    // From the last button, Tab goes round to the first; Shift+Tab back.
    const buttons = [...w.find('#q').element.querySelectorAll('button')]
    const [first, last] = [buttons[0], buttons[buttons.length - 1]]
    last.focus()
    await w.find('#q').trigger('keydown', { key: 'Tab' })
    expect(document.activeElement).toBe(first)
    await w.find('#q').trigger('keydown', { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(last)

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(w.emitted('cancel')).toHaveLength(1)
    expect(w.emitted('confirm')).toBeUndefined()

    await w.setProps({ open: false })
    await nextTick()
    expect(document.activeElement).toBe(before)
  })

  it('ignores Esc while closed', async () => {
    const w = mount(ConfirmDialog, { props: { ...props, open: false }, attachTo: document.body })
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(w.emitted('cancel')).toBeUndefined()
  })
})
