/** A tiny hash router: '#/runs/12?tab=curves' ⇄ { name: 'run', params: { id: '12' }, query: { tab: 'curves' } }. */
import { shallowRef } from 'vue';
import type { ShallowRef } from 'vue';

export type RouteName = 'datasets' | 'dataset' | 'train' | 'runs' | 'run' | 'inspect' | 'experiments' | 'experiment' | 'compare' | 'classify' | 'classification' | 'models';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
  query: Record<string, string>;
}

const ROUTES: readonly (readonly [RouteName, string])[] = [
  ['datasets', '/datasets'],
  ['dataset', '/datasets/:id'],
  ['train', '/train'],
  ['runs', '/runs'],
  ['run', '/runs/:id'],
  ['inspect', '/runs/:id/inspect'],
  ['experiments', '/experiments'],
  ['experiment', '/experiments/:id'],
  ['compare', '/compare'],
  ['classify', '/classify'],
  ['classification', '/classify/:id'],
  ['models', '/models'],
];

export const HOME: Route = { name: 'datasets', params: {}, query: {} };

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** Parse a location hash; anything unknown is the home route. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?', 2);
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) query[k] = v;
  for (const [name, pattern] of ROUTES) {
    const params = matchPattern(pattern, path || '/');
    if (params) return { name, params, query };
  }
  return { ...HOME, query: {} };
}

export function buildHash(name: RouteName, params: Record<string, string | number> = {}, query: Record<string, string | number | undefined> = {}): string {
  const pattern = ROUTES.find(([n]) => n === name)?.[1] ?? '/datasets';
  const path = pattern.replace(/:(\w+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Route ${name} needs the parameter "${key}".`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') search.set(k, String(v));
  const qs = search.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

const current: ShallowRef<Route> = shallowRef(HOME);
let listening = false;

/** The reactive current route (starts listening to hashchange on first use in a browser). */
export function useRoute(): ShallowRef<Route> {
  if (!listening && typeof window !== 'undefined') {
    listening = true;
    current.value = parseHash(window.location.hash);
    window.addEventListener('hashchange', () => {
      current.value = parseHash(window.location.hash);
    });
  }
  return current;
}

export function navigate(name: RouteName, params: Record<string, string | number> = {}, query: Record<string, string | number | undefined> = {}): void {
  const hash = buildHash(name, params, query);
  if (typeof window === 'undefined') {
    current.value = parseHash(hash);
    return;
  }
  if (window.location.hash === hash) current.value = parseHash(hash);
  else window.location.hash = hash;
}

/** Change the query of the current route without adding a history entry. */
export function replaceQuery(query: Record<string, string | number | undefined>): void {
  const route = current.value;
  const hash = buildHash(route.name, route.params, query);
  if (typeof window !== 'undefined') window.history.replaceState(null, '', hash);
  current.value = parseHash(hash);
}
