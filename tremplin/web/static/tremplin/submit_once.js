// A form is sent once: after the first click its submit buttons are disabled, so a double
// click sends nothing more (the server also refuses a second use of the form's one-time
// token, tremplin/web/once.py). No inline handler: the Content-Security-Policy refuses them.
(function () {
  "use strict";
  var SENDING = "data-envoi-en-cours";

  function buttonsOf(form) {
    var inside = Array.prototype.slice.call(
      form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]")
    );
    if (form.id) {
      inside = inside.concat(
        Array.prototype.slice.call(document.querySelectorAll("[form='" + form.id + "']"))
      );
    }
    return inside;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") {
      return;
    }
    if (form.hasAttribute(SENDING)) {
      event.preventDefault(); // already on its way
      return;
    }
    // confirm.js may have cancelled the sending (the person said no): nothing to lock.
    window.setTimeout(function () {
      if (event.defaultPrevented) {
        return;
      }
      form.setAttribute(SENDING, "");
      buttonsOf(form).forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
      // A sending that leaves the page as it is (a download): usable again after a while.
      window.setTimeout(function () { release(form); }, 15000);
    }, 0);
  });

  function release(form) {
    form.removeAttribute(SENDING);
    buttonsOf(form).forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  }

  // Back to a page kept by the browser (back button): its forms can be sent again; the
  // server decides whether the token was already used.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[" + SENDING + "]"), release);
  });
})();
