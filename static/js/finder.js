// The finder, made easier with JavaScript; everything it does works without it too.
// - On a phone the filters fold behind a Filter button, so the results come first.
// - Nothing reloads on a change (WCAG 3.2.2): Apply does. Meanwhile the number of results
//   the change would give is fetched and announced politely, and shown on the button.
// - A tree's levels with nothing chosen fold behind a button on their parent.
// - Long lists (countries, sources) get a box that narrows them by name.
// - Empty fields are left out of the address, which stays clean to share.
(function () {
  "use strict";
  var root = document.querySelector("[data-finder-root]");
  var form = document.querySelector("form[data-finder]");
  if (!root || !form) return;
  root.classList.add("finder--js");
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // A phone's Filter button: the link down to the filters becomes a button that opens them.
  var link = root.querySelector("[data-filter-toggle]");
  if (link) {
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = link.className;
    while (link.firstChild) toggle.appendChild(link.firstChild);
    toggle.setAttribute("aria-controls", "finder-filters");
    link.replaceWith(toggle);
    var show = function (open) {
      root.classList.toggle("finder--open", open);
      toggle.setAttribute("aria-expanded", String(open));
    };
    show(form.querySelector(".field-error") !== null);  // a mistake to mend: open
    toggle.addEventListener("click", function () {
      var open = !root.classList.contains("finder--open");
      show(open);
      if (open) document.getElementById("filters-heading").focus();
    });
  }

  // Every word it writes comes from the page, in the page's language (data-*-label,
  // written by the server); English only where an older page lacks one.
  var said = function (element, name, english) {
    return (element && element.getAttribute("data-" + name + "-label")) || english;
  };

  // Trees: each parent gets a button that shows or hides its children.
  var textOf = function (option) {
    var label = option.querySelector(":scope > label");
    return label && label.firstChild ? label.firstChild.textContent.trim() : "";
  };
  var folds = [];
  each(form.querySelectorAll(".facet__children"), function (list, index) {
    var item = list.parentElement;
    var name = textOf(item);
    var count = list.querySelectorAll(":scope > li").length;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "facet__expand";
    list.id = list.id || "facet-children-" + index;
    button.setAttribute("aria-controls", list.id);
    var set = function (open) {
      list.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      var english = (open ? "Hide the " : "Show the ") + count + " under " + name;
      button.setAttribute("aria-label", said(list, open ? "hide" : "show", english));
      button.textContent = open ? "−" : "+";
    };
    set(list.querySelector("input:checked") !== null);
    button.addEventListener("click", function () { set(list.hidden); });
    item.insertBefore(button, list);
    folds.push({ list: list, button: button });
  });

  // Long lists: a box to narrow them by name, ignoring case and accents.
  var plain = function (text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  each(form.querySelectorAll("fieldset[data-facet]"), function (fieldset) {
    var options = fieldset.querySelectorAll(".facet__option");
    var list = fieldset.querySelector(".facet__options");
    if (options.length < 12 || !list) return;
    var kinds = { field: "fields of work", source: "sources", country: "countries" };
    var kind = kinds[fieldset.getAttribute("data-facet")] || "options";
    var id = "facet-search-" + fieldset.getAttribute("data-facet");
    var label = document.createElement("label");
    label.className = "facet__search-label";
    label.htmlFor = id;
    label.textContent = said(list, "narrow", "Narrow the list of " + kind);
    var box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.className = "facet__search";
    box.autocomplete = "off";
    // Not a filter of the page itself: without a name it is never sent.
    fieldset.insertBefore(label, list);
    fieldset.insertBefore(box, list);
    var names = Array.prototype.map.call(options, function (option) { return plain(textOf(option)); });
    var position = new Map();
    each(options, function (option, i) { position.set(option, i); });
    box.addEventListener("input", function () {
      var words = plain(box.value.trim());
      var own = names.map(function (name) { return !words || name.indexOf(words) !== -1; });
      each(options, function (option, i) {
        var shown = own[i];
        if (!shown) {
          each(option.querySelectorAll(".facet__option"), function (inner) {
            shown = shown || own[position.get(inner)];
          });
        }
        option.hidden = !shown;
      });
      folds.forEach(function (fold) {
        if (fieldset.contains(fold.list)) {
          fold.list.hidden = words ? false : fold.button.getAttribute("aria-expanded") !== "true";
        }
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();  // narrowing, not applying
    });
  });

  // The live count: what Apply would show, fetched from the finder itself.
  var apply = form.querySelector("[data-apply]");
  var live = form.querySelector("[data-live-count]");
  var address = function () {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (value !== "") params.append(name, value); });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  };
  var pending = null, asking = null;
  var count = function () {
    if (asking) asking.abort();
    asking = new AbortController();
    fetch(address(), { signal: asking.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html").querySelector("[data-count]");
        if (!found) return;
        var n = parseInt(found.getAttribute("data-count"), 10);
        var words = n.toLocaleString("en-GB") + (n === 1 ? " result" : " results");
        apply.textContent = said(found, "show", "Show " + words);
        live.textContent = said(found, "live", words + " with these filters");
      })
      .catch(function () { /* offline or superseded: Apply still works */ });
  };
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("facet__search")) return;
    clearTimeout(pending);
    pending = setTimeout(count, 250);
  });

  // Leave empty fields out of the address; after Apply, carry on at the results.
  form.addEventListener("submit", function () {
    each(form.elements, function (el) { if (el.name && !el.value) el.disabled = true; });
    sessionStorage.setItem("finder-applied", location.pathname);
  });
  if (sessionStorage.getItem("finder-applied") === location.pathname) {
    sessionStorage.removeItem("finder-applied");
    var results = document.getElementById("results");
    if (results) results.focus();
  }
  // Coming back through the history shows the form as it was left: usable again.
  window.addEventListener("pageshow", function () {
    each(form.elements, function (el) { el.disabled = false; });
  });
})();
