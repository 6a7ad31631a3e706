// Names for the admin's widgets that are drawn without one, so that screen readers and
// voice control can reach them (WCAG 4.1.2, 1.3.1): a date-and-time field's two boxes, the
// rich-text editor's editable area,
// Select2's boxes and search fields (drawn again as people use them, hence the observer),
// the help icons of a two-list chooser, which carry a name without a role, and the
// editor's buttons it greys out.
(function () {
  "use strict";

  const labelOf = (id) => {
    const label = id && document.querySelector(`label[for="${CSS.escape(id)}"]`);
    return label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
  };

  const name = (element, text) => {
    if (text && !element.getAttribute("aria-label")) element.setAttribute("aria-label", text);
  };

  const mend = () => {
    // A date-and-time field's two boxes: the admin writes "Date:" and "Time:" beside them
    // as text, and the field's label points at neither.
    document.querySelectorAll(".datetime input.vDateField, .datetime input.vTimeField").forEach((box) => {
      const row = box.closest(".form-row, div[class*='field-']");
      const label = row && row.querySelector("label");
      const field = label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
      const part = box.classList.contains("vDateField") ? "date" : "time";
      name(box, field ? `${field}: ${part}` : part);
    });
    document.querySelectorAll("select.admin-autocomplete, select[data-autocomplete-light-url]").forEach((select) => {
      const text = labelOf(select.id);
      const box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) return;
      box.querySelectorAll(".select2-selection[role=combobox], .select2-search__field, .select2-selection__rendered[role=textbox]").forEach((el) => {
        name(el, text);
      });
      // The chosen items' list holds a search box and a clear button, not only items.
      box.querySelectorAll("ul.select2-selection__rendered").forEach((list) => list.setAttribute("role", "presentation"));
    });
    document.querySelectorAll(".select2-container--open .select2-search__field").forEach((el) => name(el, "Search"));
    document.querySelectorAll(".django-prose-editor .tiptap, .prose-editor .tiptap, .tiptap[contenteditable]").forEach((area) => {
      const field = area.closest(".form-row, .fieldBox, div[class*='field-']");
      const label = field && field.querySelector("label");
      name(area, label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "Text");
      area.setAttribute("role", "textbox");
      area.setAttribute("aria-multiline", "true");
    });
    // The editor greys out a button it cannot use now by a class: say so to assistive
    // technology too (an unavailable control, which WCAG 1.4.3 leaves out of contrast).
    document.querySelectorAll(".prose-menubar__button").forEach((button) => {
      const off = String(button.classList.contains("disabled") && !button.classList.contains("active"));
      if (button.getAttribute("aria-disabled") !== off) button.setAttribute("aria-disabled", off);
    });
    document.querySelectorAll(".selector .help-tooltip[aria-label], .selector .search-label-icon[title]").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
  };

  const start = () => {
    mend();
    let pending = false;
    new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; mend(); });
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["class"],
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
