import { nextTick, onBeforeUnmount, watch } from 'vue'

// What every AuthDesk dialog does with the keyboard focus: when it opens,
// the focus moves to its first button (start, a ref); Tab and Shift+Tab go
// round the dialog's buttons and links without leaving it (keepInside, for
// @keydown.tab); Esc, wherever the focus is (the window's menu may have
// taken it), calls onEscape; when it closes, the focus goes back to where it
// was. isOpen is a getter; onOpen runs before the focus moves.
export function useModalFocus({ isOpen, dialog, start, onEscape, onOpen }) {
  let focusBefore = null
  watch(
    isOpen,
    async (open) => {
      if (open) {
        if (onOpen) onOpen()
        focusBefore = document.activeElement
        await nextTick()
        start.value?.focus()
      } else if (focusBefore && typeof focusBefore.focus === 'function') {
        focusBefore.focus()
        focusBefore = null
      }
    },
    { immediate: true },
  )

  function keepInside(event) {
    const items = [...(dialog.value?.querySelectorAll('button:not([disabled]), a[href]') || [])]
    if (items.length === 0) return
    const first = items[0]
    const last = items[items.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  function onKey(event) {
    if (event.key === 'Escape' && isOpen()) {
      event.preventDefault()
      onEscape()
    }
  }
  document.addEventListener('keydown', onKey)
  onBeforeUnmount(() => document.removeEventListener('keydown', onKey))

  return { keepInside }
}
