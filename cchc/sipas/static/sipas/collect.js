// Keying paper forms: after a digit in a one-digit box, move to the next box.
(function () {
  "use strict";
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-sp-advance]")) return;
    if (!/^[0-9]$/.test(box.value)) return;
    var boxes = Array.prototype.slice.call(box.form.querySelectorAll("input, textarea, button"));
    var next = boxes[boxes.indexOf(box) + 1];
    if (next) next.focus();
    if (next && next.select) next.select();
  });
})();
