// After a refused submission, the focus goes to the summary of the errors (id "erreurs",
// tabindex="-1"), so that a screen reader reads it and the keyboard starts from it: each
// error there links to its field. Without JavaScript the summary is still the first thing of
// the form. No inline script: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  function focusErrors() {
    var summary = document.getElementById("erreurs");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
    if (summary.scrollIntoView) {
      summary.scrollIntoView({ block: "start" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrors);
  } else {
    focusErrors();
  }
})();
