/* Khung tin Cải cách hành chính: chèn iframe ngay sau thẻ script này.
   Tùy chọn: data-height="480" (chiều cao, px). */
(function () {
  var script = document.currentScript;
  if (!script) { return; }
  var frame = document.createElement("iframe");
  frame.src = "{{ widget_url|escapejs }}";
  frame.title = "{{ title|escapejs }}";
  frame.loading = "lazy";
  frame.style.width = "100%";
  frame.style.maxWidth = "480px";
  frame.style.height = (parseInt(script.getAttribute("data-height"), 10) || 460) + "px";
  frame.style.border = "1px solid #d4d7dc";
  frame.style.borderRadius = "6px";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
