// Asks before posting a form that removes or accepts something in bulk. A form opts in
// with data-confirm="question"; without JavaScript the form posts as before. Kept in a
// file, not inline, for the Content-Security-Policy (no inline script).
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) {
    return;
  }
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
