// The quote builder: as the salesperson types, the draft is saved and repriced by the engine
// (debounced), and the totals fragment the server answers replaces #quote-totals. Without this
// script the "Recalculate" button posts the same form.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("quote-form");
  const totals = document.getElementById("quote-totals");
  if (!form || !totals || !window.webFetch) return;
  const WAIT_MS = 600;
  let timer = null;
  let latest = 0;
  const mark = (fields) => {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    for (const name of fields) {
      const input = form.elements.namedItem(name);
      if (input && input.setAttribute) input.setAttribute("aria-invalid", "true");
    }
  };
  const problemNote = (text) => {
    const note = document.createElement("p");
    note.className = "problem";
    note.setAttribute("role", "alert");
    note.textContent = text;
    totals.prepend(note);
  };
  const recalculate = async () => {
    const asked = ++latest;
    totals.setAttribute("aria-busy", "true");
    try {
      const answer = await window.webFetch(form.dataset.totals, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(new FormData(form)),
      });
      const text = await answer.text();
      if (asked !== latest) return; // a later change is on its way
      if (answer.status === 401 || answer.status === 403 || answer.status >= 500) {
        // a page of its own (signed out, the form expired, the server failed), not a fragment
        const said = new DOMParser().parseFromString(text, "text/html").querySelector("main p");
        problemNote(`Not recalculated: ${said ? said.textContent : answer.status}. Reload the page.`);
        return;
      }
      totals.innerHTML = text;
      for (const net of totals.querySelectorAll("#line-nets [data-line]")) {
        const cell = form.querySelector(`[data-net-for="${net.dataset.line}"]`);
        if (cell) cell.textContent = net.textContent;
      }
      const problem = totals.querySelector("[data-fields]");
      mark(problem && problem.dataset.fields ? problem.dataset.fields.split(" ") : []);
    } catch (error) {
      if (asked === latest) problemNote("Not recalculated: the server cannot be reached.");
    } finally {
      if (asked === latest) totals.removeAttribute("aria-busy");
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(recalculate, WAIT_MS);
  };
  form.addEventListener("input", later); // typing, and choosing in a list or a checkbox
});
