// The online form: each choice saved as it is made (the step is saved anyway when sent),
// so a phone that loses its signal mid-step keeps what was answered before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-sv-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var timer = null;
  function save() {
    var data = new FormData(form);
    data.set("go", "save");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).catch(function () {
      // offline: the choice stays on screen and is sent with the step
    });
  }
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 300);
  });
})();
