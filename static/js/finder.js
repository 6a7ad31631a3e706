// Progressive enhancement for the finder: apply a filter as soon as it changes, and come
// back to the same scroll position. Without JavaScript the "Apply filters" button does it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-finder]");
  if (!form) return;
  var key = "finder-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], select, input[type=date]")) {
      sessionStorage.setItem(key, String(window.scrollY));
      // Empty fields would only clutter the shareable address.
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !el.value) el.disabled = true;
      });
      form.submit();
    }
  });
  // Coming back through the history shows the form as it was left: usable again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
  });
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.value) el.disabled = true;
    });
  });
})();
