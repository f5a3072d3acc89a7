// The personal agenda stays readable offline: register the service worker (agenda-sw.js),
// keep this page and what it uses at once (its first load happened before the worker ran),
// and say so when the page shown is the copy kept on this device.
(function () {
  const note = document.getElementById("agenda-offline");
  if (note && !navigator.onLine) {
    note.hidden = false;
  }
  if (!("serviceWorker" in navigator) || !window.caches) {
    return;
  }
  navigator.serviceWorker
    .register("/events/agenda-sw.js", { scope: "/events/" })
    .then(() => navigator.serviceWorker.ready)
    .then(() => caches.open("upland-agenda-v1"))
    .then((cache) => {
      const used = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"))
        .map((element) => element.href || element.src)
        .filter((address) => new URL(address).origin === location.origin);
      return cache.addAll([location.href, ...used]);
    })
    .then(() => document.documentElement.setAttribute("data-offline-ready", ""))
    .catch(() => undefined);
})();
