/* Self-assessment workspace: work is never lost on a session timeout or in a second tab.
 *
 * Every leaf form keeps a copy of what is typed in localStorage, keyed by
 * year/unit/leaf (data-par-key); the copy is dropped when the server answers "saved".
 * When a save meets an expired session (a redirect to the sign-in page, 401 or 403)
 * the fragment is not replaced: the typed values stay on screen and in the copy, and
 * a message links to signing in again; after that the copy is restored into the form
 * (with the version it was typed from, so a newer save by someone else is shown).
 * Validation errors (422) are swapped in like a success. No inline script (CSP).
 */
(function () {
  "use strict";
  var PREFIX = "par:";

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function formOf(leaf) { return leaf.querySelector("form.par-leaf-form"); }

  function snapshot(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "file") return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      values[el.name] = el.value;
    });
    return values;
  }

  function keep(leaf) {
    var s = store(), form = formOf(leaf);
    if (!s || !form) return;
    s.setItem(leaf.dataset.parKey, JSON.stringify({ at: Date.now(), values: snapshot(form) }));
  }

  function notice(leaf, text, link) {
    var box = leaf.querySelector(".par-restored");
    if (!box) {
      box = document.createElement("div");
      box.className = "par-restored";
      box.setAttribute("role", "alert");
      leaf.insertBefore(box, leaf.children[1] || null);
    }
    box.textContent = text + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = "Đăng nhập lại";
      box.appendChild(a);
    }
  }

  function restore(leaf) {
    var s = store(), form = formOf(leaf);
    if (!s || !form) return;
    var raw = s.getItem(leaf.dataset.parKey);
    if (!raw) return;
    var copy;
    try { copy = JSON.parse(raw); } catch (e) { s.removeItem(leaf.dataset.parKey); return; }
    var values = copy.values || {}, changed = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in values) || el.type === "file") return;
      if (el.type === "radio" || el.type === "checkbox") {
        var on = el.value === values[el.name];
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.value !== values[el.name]) {
        el.value = values[el.name];
        changed = true;
      }
    });
    if (changed) {
      var when = new Date(copy.at);
      notice(leaf, "Đã khôi phục dữ liệu chưa lưu (nhập lúc " + when.toLocaleTimeString("vi-VN") +
        " " + when.toLocaleDateString("vi-VN") + "). Hãy kiểm tra rồi bấm Lưu.");
    } else {
      s.removeItem(leaf.dataset.parKey);
    }
  }

  function setup(root) {
    var leaves = root.matches && root.matches("[data-par-key]") ? [root] : root.querySelectorAll("[data-par-key]");
    Array.prototype.forEach.call(leaves, function (leaf) {
      var s = store();
      if (leaf.dataset.parSaved && s) { s.removeItem(leaf.dataset.parKey); return; }
      var form = formOf(leaf);
      if (!form) return;
      form.addEventListener("input", function () { keep(leaf); });
      form.addEventListener("change", function () { keep(leaf); });
    });
  }

  function expired(xhr) {
    var url = xhr.responseURL || "";
    return xhr.status === 401 || xhr.status === 403 || /\/login\/?(\?|$)/.test(url);
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr, target = evt.detail.target;
    var leaf = target && target.closest ? target.closest("[data-par-key]") : null;
    if (expired(xhr)) {
      evt.detail.shouldSwap = false;
      if (leaf) {
        keep(leaf);
        var root = document.getElementById("par-assessment");
        notice(leaf, "Phiên đăng nhập đã hết hạn. Dữ liệu bạn vừa nhập được giữ lại trên máy này " +
          "và sẽ được khôi phục sau khi đăng nhập lại.", root ? root.dataset.loginUrl : null);
      }
      return;
    }
    if (xhr.status === 422) { evt.detail.shouldSwap = true; evt.detail.isError = false; }
  });

  document.addEventListener("htmx:load", function (evt) {
    var el = evt.detail.elt;
    if (el && el.matches && el.matches("[data-par-key]")) setup(el);
  });

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-par-key]"), restore);
    setup(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
