// A light touch: confirmation before deactivating a user, allocating a payment's amount to the
// open invoices oldest first, and the CSRF token in a header for any script request.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  const fill = document.getElementById("fill-allocations");
  if (fill) {
    fill.addEventListener("click", () => {
      let left = Number(document.getElementById("pay-amount").value || "0") * 100;
      for (const input of document.querySelectorAll("input.allocation")) {
        const take = Math.min(left, Math.round(Number(input.dataset.balance) * 100));
        input.value = take > 0 ? (take / 100).toFixed(2) : "";
        left -= Math.max(take, 0);
      }
      document.getElementById("allocated").textContent =
        left > 0 ? `${(left / 100).toFixed(2)} stays unapplied` : "The amount is allocated.";
    });
  }
});
// For scripts that change something: the session's token, as every form carries it.
window.webFetch = (url, options = {}) => {
  const token = document.querySelector("input[name=csrf_token]");
  const headers = new Headers(options.headers || {});
  if (token) headers.set("X-CSRF-Token", token.value);
  return fetch(url, { ...options, headers, credentials: "same-origin" });
};
