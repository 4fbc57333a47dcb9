/* Report page: show or hide each mention type; a click on a mention opens its entity's page. */
(function () {
  "use strict";
  var text = document.getElementById("report-text");
  document.querySelectorAll("#type-key input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      text.classList.toggle("hide-" + box.getAttribute("data-type"), !box.checked);
    });
  });
  text.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.m");
    if (!mark || !mark.getAttribute("data-href")) return;
    if (window.getSelection && String(window.getSelection()).length) return;  // selecting text, not following
    if (event.ctrlKey || event.metaKey) window.open(mark.getAttribute("data-href"), "_blank");
    else location.href = mark.getAttribute("data-href");
  });
})();
