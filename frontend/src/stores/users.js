import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'

// users is {} before the first load, {loading: true} while loading,
// the array once loaded and {error} (an AppError) when loading failed.
export const useUsersStore = defineStore('users', () => {
  const users = ref({})

  async function getAll() {
    users.value = { loading: true }
    try {
      users.value = await api.listUsers()
    } catch (error) {
      users.value = { error }
    }
  }

  return { users, getAll }
})
