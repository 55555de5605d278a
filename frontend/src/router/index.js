import { createRouter } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { setNavigation } from './navigation'
import { appHistory } from './history'
import LoginView from '@/views/LoginView.vue'
// Every page but the login page loads when first visited, so the start-up
// bundle holds only what the login page's first frame needs (see `make
// bench`). Home, with its virtual list, is a chunk of its own: a restored
// session loads it while the route resolves, before the first frame.
const HomeView = () => import('@/views/HomeView.vue')
const SettingsView = () => import('@/views/SettingsView.vue')
const TwoStepView = () => import('@/views/TwoStepView.vue')
const AccountView = () => import('@/views/AccountView.vue')
const SessionsView = () => import('@/views/SessionsView.vue')
const UsersView = () => import('@/views/UsersView.vue')

export const routes = [
  { path: '/', name: 'home', component: HomeView, meta: { requiresAuth: true } },
  { path: '/account', name: 'account', component: AccountView, meta: { requiresAuth: true } },
  { path: '/account/sessions', name: 'sessions', component: SessionsView, meta: { requiresAuth: true } },
  { path: '/login', name: 'login', component: LoginView },
  // Open signed in or out: the backend is chosen before signing in.
  { path: '/settings', name: 'settings', component: SettingsView },
  { path: '/account/two-step', name: 'two-step', component: TwoStepView, meta: { requiresAuth: true } },
  // Admins only: the guard sends anyone else home (the backend refuses them too).
  { path: '/users', name: 'users', component: UsersView, meta: { requiresAuth: true, requiresAdmin: true } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

// Runs before every navigation; the first one waits for Go's session restore,
// so a signed-in person never sees the login page flash.
export async function authGuard(to) {
  const auth = useAuthStore()
  await auth.restore()
  if (to.meta.requiresAuth && !auth.user) {
    auth.setReturnUrl(to.fullPath)
    return { path: '/login', query: { returnUrl: to.fullPath } }
  }
  if (to.meta.requiresAdmin && auth.user?.role !== 'Admin') {
    return { path: '/' }
  }
  if (to.path === '/login' && auth.user) {
    return { path: '/' }
  }
  return true
}

export function createAppRouter(history = appHistory()) {
  const r = createRouter({
    history,
    routes,
    linkActiveClass: 'active',
  })
  r.beforeEach(authGuard)
  setNavigation(r)
  return r
}

// Wails serves the page from its own scheme, so the hash history is used
// (see appHistory).
const router = createAppRouter()
export default router
