// The printable profile's "Print" button (the CSP allows no inline code).
document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-print]")) {
    window.print();
  }
});
