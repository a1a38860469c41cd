// duban's only script besides htmx: the Content-Security-Policy allows no inline script or style,
// so what templates would have written inline is done here from data- attributes.
(function () {
  "use strict";
  // <form data-confirm="question">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // <span data-width="37.5">: a segment of a bar, its width in per cent (also in pages htmx swaps in).
  function widths(root) {
    var segments = (root || document).querySelectorAll("[data-width]");
    for (var i = 0; i < segments.length; i++) {
      segments[i].style.width = segments[i].getAttribute("data-width") + "%";
    }
  }
  document.addEventListener("DOMContentLoaded", function () { widths(document); });
  document.addEventListener("htmx:afterSwap", function (event) { widths(event.target); });
})();
