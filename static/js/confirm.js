// Ask before an action that cannot be undone: a form, or the button that submits it, carries
// data-confirm="question". (A script file rather than an inline onsubmit: the Content-Security-
// Policy allows no inline script.)
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    const source = [event.submitter, event.target].find((el) => el && el.dataset && el.dataset.confirm);
    if (source && !window.confirm(source.dataset.confirm)) event.preventDefault();
  });
})();
