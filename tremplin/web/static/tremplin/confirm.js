// A form with data-confirm="…" asks before it is sent (no inline handler: the
// Content-Security-Policy refuses them).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
