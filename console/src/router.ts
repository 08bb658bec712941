import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { page: 'list' }
  | { page: 'new' }
  | { page: 'time' }
  | { page: 'entry'; name: string };

/** Hash routes, so the static server only ever serves index.html and its assets. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path.startsWith('/entry/')) return { page: 'entry', name: decodeURIComponent(path.slice(7)) };
  if (path === '/new') return { page: 'new' };
  if (path === '/time') return { page: 'time' };
  return { page: 'list' };
}

export const entryHref = (name: string) => `#/entry/${encodeURIComponent(name)}`;

export function navigate(href: string): void {
  window.location.hash = href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
