import { ref } from 'vue'
import { defineStore } from 'pinia'
import * as api from '@/api'
import { pagedUsers } from './pagedUsers'

// The admin's Users page: what the backend offers (features), the paged and
// searchable list, and the account actions, each updating the list.
export const useAccountsStore = defineStore('accounts', () => {
  const features = ref(null) // { paging, admin } once asked
  const featuresFor = ref('') // the user they were asked for
  const pages = pagedUsers()

  // loadFeatures asks once per signed-in person.
  async function loadFeatures(userKey) {
    if (features.value && featuresFor.value === userKey) return features.value
    try {
      features.value = await api.accountFeatures()
    } catch {
      features.value = { paging: false, admin: false }
    }
    featuresFor.value = userKey
    return features.value
  }

  async function create(user) {
    const created = await api.createUser(user)
    await pages.load()
    return created
  }

  async function update(id, edit) {
    const row = await api.updateUser(id, edit)
    pages.replace(row)
    return row
  }

  async function setDisabled(id, disabled) {
    const row = await api.setUserDisabled(id, disabled)
    pages.replace(row)
    return row
  }

  function resetPassword(id, password) {
    return api.resetUserPassword(id, password)
  }

  async function unlock(id) {
    await api.unlockUser(id)
    const row = pages.rows.value.find((r) => String(r.id) === String(id))
    if (row) pages.replace({ ...row, lockedUntil: undefined })
  }

  async function remove(id) {
    await api.removeUser(id)
    pages.drop(id)
  }

  return {
    features,
    loadFeatures,
    rows: pages.rows,
    loaded: pages.loaded,
    next: pages.next,
    total: pages.total,
    loading: pages.loading,
    error: pages.error,
    query: pages.query,
    load: pages.load,
    clear: pages.clear,
    loadMore: pages.loadMore,
    create,
    update,
    setDisabled,
    resetPassword,
    unlock,
    remove,
  }
})
