// The menu's sections are <details> elements: without JavaScript they open and close by
// click, Enter or Space. This adds what people expect of a menu: Escape closes the open
// section (and gives the focus back to its heading when it was inside), and a click or a
// focus anywhere outside the menu closes it.
(function () {
  "use strict";
  const menu = document.querySelector("nav.menu");
  if (!menu) return;
  const openSections = () => menu.querySelectorAll("details.menu__group[open]");

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const section of openSections()) {
      const hadFocus = section.contains(document.activeElement);
      section.open = false;
      if (hadFocus) section.querySelector("summary").focus();
    }
  });

  const closeOutside = (event) => {
    for (const section of openSections()) {
      if (!section.contains(event.target)) section.open = false;
    }
  };
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);
})();
