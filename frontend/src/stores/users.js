import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'

// The users list of the home page: the tutorial's "secure API end point".
// list is null until the first load succeeds; error is the last failure (an
// AppError) or null.
export const useUsersStore = defineStore('users', () => {
  const list = ref(null)
  const loading = ref(false)
  const error = ref(null)

  async function getAll() {
    loading.value = true
    error.value = null
    try {
      list.value = await api.listUsers()
    } catch (err) {
      error.value = err
    } finally {
      loading.value = false
    }
  }

  return { list, loading, error, getAll }
})
