import { onBeforeUnmount, onMounted, ref } from 'vue'

// A ref holding Date.now(), refreshed every `intervalMs` while the component is mounted.
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now())
  let timer = null
  onMounted(() => {
    now.value = Date.now()
    timer = setInterval(() => {
      now.value = Date.now()
    }, intervalMs)
  })
  onBeforeUnmount(() => {
    if (timer !== null) clearInterval(timer)
    timer = null
  })
  return now
}
