// The personal agenda offline (issue 11: the venue's Wi-Fi fails). Served as
// /events/agenda-sw.js so that its scope, /events/, covers every /events/{id}/agenda.
// Network first: each agenda page (and the styles and scripts it uses) that loads is kept;
// when the network fails, the last copy is shown. An agenda answered by a redirect or a refusal
// (logged out, another person) drops the copy. Logging out clears everything
// (the Clear-Site-Data header of POST /logout).
const CACHE = "upland-agenda-v1";
const AGENDA = /^\/events\/\d+\/agenda$/;
const ASSETS = /^\/(static|vendor)\//;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  const agenda = AGENDA.test(url.pathname);
  if (agenda || ASSETS.test(url.pathname)) {
    event.respondWith(networkFirst(request, agenda));
  }
});

async function networkFirst(request, agenda) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (kept) {
      return kept;
    }
    throw error;
  }
  if (response.ok && !response.redirected) {
    await cache.put(request, response.clone());
  } else if (agenda) {
    await cache.delete(request, { ignoreSearch: true });
  }
  return response;
}
