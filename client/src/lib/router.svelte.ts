/** The current route as reactive state, following the browser's history. */
import { parseRoute, type Route } from './routes.js';

const current = $state({ route: parseRoute(location.pathname, location.hash) });

export const router = {
  get route(): Route {
    return current.route;
  },
};

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  current.route = parseRoute(location.pathname, location.hash);
}

addEventListener('popstate', () => {
  current.route = parseRoute(location.pathname, location.hash);
});
