import { computed, watch } from 'vue'
import { useNow } from './useNow'

// A live countdown to a store's retryAt (Date.now() ms), as the login page
// shows after "too many attempts" or "busy": seconds left, and whether the
// form must still wait.
export function useRetryCountdown(retryAt) {
  const now = useNow(250)
  watch(retryAt, () => {
    now.value = Date.now()
  })
  const seconds = computed(() => Math.max(0, Math.ceil((retryAt() - now.value) / 1000)))
  const waiting = computed(() => seconds.value > 0)
  return { seconds, waiting }
}
