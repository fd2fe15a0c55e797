// Live checks of the convention form ("see every check at once, live").
// While the agent types, the form is posted with "verifier" (nothing is saved) and the
// server answers the findings panel only; the "Vérifier sans enregistrer" button does the
// same without JavaScript, as a full page.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-check-header]");
  var panel = document.querySelector("[data-live-checks]");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var header = form.getAttribute("data-live-check-header");
  var timer = null;
  var sent = 0;

  function check() {
    var data = new FormData(form);
    data.set("verifier", "1");
    var number = ++sent;
    panel.setAttribute("aria-busy", "true");
    var headers = {};
    headers[header] = "1";
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      headers: headers,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the answer to the latest request is shown.
        if (html !== null && number === sent) {
          panel.innerHTML = html;
        }
      })
      .catch(function () {})
      .then(function () {
        if (number === sent) {
          panel.removeAttribute("aria-busy");
        }
      });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 600);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
