// Progressive enhancement for the finder: apply a ticked box or a new sort order as soon as
// it changes, and come back to the same scroll position with focus on the same control, so
// that keyboard users carry on where they were. Dates apply with Enter or the button, as
// without JavaScript: their change event fires while a year is still being typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-finder]");
  if (!form) return;
  var key = "finder-scroll:" + location.pathname;
  var focusKey = "finder-focus:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  var focused = sessionStorage.getItem(focusKey);
  if (focused !== null) {
    sessionStorage.removeItem(focusKey);
    var control = document.getElementById(focused);
    if (control && form.contains(control)) control.focus({ preventScroll: true });
  }
  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type=checkbox], select")) {
      sessionStorage.setItem(key, String(window.scrollY));
      if (event.target.id) sessionStorage.setItem(focusKey, event.target.id);
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
