// A table wider than the screen scrolls inside its own box (tremplin.css): that box must be
// reachable with the keyboard (arrow keys scroll it) and named for screen readers (RGAA 7.3,
// axe "scrollable-region-focusable"). Boxes that do not scroll are left alone.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main .table-responsive, main table.table, main .timeline-box").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", "");
        if (box.tagName !== "TABLE") {
          var caption = box.querySelector("caption, title");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau défilant");
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-region")) {
        ["tabindex", "data-scroll-region", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
