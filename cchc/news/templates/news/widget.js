/* Khung tin Cải cách hành chính: chèn iframe ngay sau thẻ script này. Khung tự lấy
   chiều cao theo nội dung; data-height="460" (px) chỉ là chiều cao lúc đang tải. */
(function () {
  var script = document.currentScript;
  if (!script) { return; }
  var frame = document.createElement("iframe");
  frame.src = "{{ widget_url|escapejs }}";
  var origin = new URL(frame.src).origin;
  frame.title = "{{ title|escapejs }}";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.maxWidth = "480px";
  frame.style.height = (parseInt(script.getAttribute("data-height"), 10) || 460) + "px";
  frame.style.border = "1px solid #d4d7dc";
  frame.style.borderRadius = "6px";
  frame.style.boxSizing = "content-box";
  window.addEventListener("message", function (event) {
    // only this frame, served by the portal, may size it
    if (event.source !== frame.contentWindow || event.origin !== origin) { return; }
    var data = event.data;
    if (!data || data.type !== "cchc-widget-height") { return; }
    var height = parseInt(data.height, 10);
    if (height > 0 && height <= 4000) { frame.style.height = height + "px"; }
  });
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
