// Upland's only script of its own (the CSP allows no inline code): a form with
// data-confirm="question" asks before it is sent.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// The language switch returns to the page it was clicked on (`next`); when htmx changes the
// address (the list's filters), the switch follows, so the active filters survive it.
function followAddress() {
  const here = new URL(window.location.href);
  here.searchParams.delete("lang");
  for (const link of document.querySelectorAll("a[data-language-switch]")) {
    const target = new URL(link.href);
    target.searchParams.set("next", here.pathname + here.search);
    link.href = target.pathname + target.search;
  }
}
document.addEventListener("htmx:pushedIntoHistory", followAddress);
document.addEventListener("htmx:historyRestore", followAddress);

// The list's extra filters are folded on phones (results first) and open on wide screens.
if (window.matchMedia("(min-width: 768px)").matches) {
  for (const folded of document.querySelectorAll("details[data-open-wide]")) {
    folded.open = true;
  }
}

// Logging out drops the agenda's offline copy on this device (the answer's Clear-Site-Data
// header does too, where the browser honours it).
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[action='/logout']") && window.caches) {
    caches.delete("upland-agenda-v1");
  }
});
