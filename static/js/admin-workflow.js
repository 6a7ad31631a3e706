// "Schedule…" on the release form publishes at the publication date. When that date is
// empty or not yet to come, the button makes it the thing to fill (focus on it, a hint
// beside it) instead of posting a form the server would send back; without JavaScript
// the server says the same, beside the same field. Times are the server's (the admin
// gives its UTC offset on <body>); a date this cannot read is left to the server.
(function () {
  "use strict";

  const readDate = (text) => {
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (iso) return Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
    if (typeof window.get_format !== "function" || !text.strptime) return NaN;
    return text.strptime(window.get_format("DATE_INPUT_FORMATS")[0]).getTime();
  };

  const readTime = (text) => {
    const parts = /^(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(text);
    if (!parts) return NaN;
    const [hours, minutes, seconds] = parts.slice(1).map((part) => Number(part || 0));
    return ((hours * 60 + minutes) * 60 + seconds) * 1000;
  };

  const showHint = (date, text) => {
    const row = date.closest(".form-row") || date.parentElement;
    let hint = document.getElementById("schedule-hint");
    if (!hint) {
      hint = document.createElement("div");
      hint.id = "schedule-hint";
      hint.className = "help schedule-hint"; // lined up with the field's help text
      hint.setAttribute("role", "alert");
      const help = row.querySelector(".help");
      if (help) help.after(hint);
      else row.append(hint);
    }
    hint.textContent = text;
    row.classList.add("schedule-target");
    date.setAttribute("aria-describedby", hint.id);
    date.scrollIntoView({ block: "center" });
    date.focus();
  };

  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (!button || button.name !== "_action" || button.value !== "schedule") return;
    const date = document.getElementById("id_published_at_0");
    const time = document.getElementById("id_published_at_1");
    if (!date || !time) return;
    const offset = Number(document.body.dataset.adminUtcOffset) || 0;
    const when = readDate(date.value.trim()) + readTime(time.value.trim()) - offset * 1000;
    const empty = date.value.trim() === "" || time.value.trim() === "";
    if (!empty && (Number.isNaN(when) || when > Date.now())) return;
    event.preventDefault();
    const target = date.value.trim() === "" || time.value.trim() !== "" ? date : time;
    showHint(target, button.dataset.scheduleHint);
  });
})();
