/* Counts one page load: sends the page's signed target to the beacon.
   No cookie is read or set; the server keeps only a daily-salted hash. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var url = script.getAttribute("data-url");
  var body = new URLSearchParams();
  body.set("t", script.getAttribute("data-t") || "");
  body.set("r", document.referrer || "");
  try {
    if (window.fetch) {
      fetch(url, { method: "POST", body: body, keepalive: true, credentials: "omit" })
        .catch(function () {});
    } else if (navigator.sendBeacon) {
      navigator.sendBeacon(url, body);
    }
  } catch (e) { /* counting must never break the page */ }
})();
