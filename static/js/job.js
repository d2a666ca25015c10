// Follow a background report job until its ZIP is ready.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box || ["done", "failed"].includes(box.dataset.status)) return;
  async function poll() {
    const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) return setTimeout(poll, 5000);
    const job = await response.json();
    const bar = document.getElementById("job-bar");
    bar.style.width = job.percent + "%";
    bar.textContent = `${job.done}/${job.total}`;
    if (job.status === "done" || job.status === "failed") { window.location.reload(); return; }
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1000);
})();
