/* Inside the widget's iframe: tell the embedding page how tall the box is, so that
   nhung.js sizes the iframe to it (the visit counter at the bottom is never cut off).
   Only a number is sent, so any embedding origin may read it; the receiving script
   checks that the message comes from this frame and from the portal's origin. */
(function () {
  if (window.parent === window || !window.parent.postMessage) { return; }
  var last = 0;
  function report() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height > 0 && height !== last) {
      last = height;
      window.parent.postMessage({ type: "cchc-widget-height", height: height }, "*");
    }
  }
  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(document.body);
  } else {
    window.addEventListener("resize", report);
  }
  window.addEventListener("load", report);
  report();
})();
