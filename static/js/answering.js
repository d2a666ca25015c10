// Autosave for the answering page: every question card is its own <form>, saved on change.
// Nothing typed is lost: unsaved answers wait in localStorage until the server has them
// (offline, expired session), and a colleague's newer answer is shown, never overwritten.
// An answer the server refused as invalid stays there too, marked: it is shown on its card with
// the server's message and is not sent again until the user changes it.
// "Save all" sends only what changed on the page or waits on this device: an unchanged answer is
// not saved again (its author, time and revision stay true), and a carried answer flagged for
// review is confirmed only by its own button or by "Confirm all", never by saving.
// Every save brings back the findings of the answer checks that name the saved answers; they are
// shown beside each question they name, as advice: they never stop a save.
(function () {
  "use strict";
  const texts = JSON.parse(document.getElementById("answering-texts").textContent);
  const forms = Array.from(document.querySelectorAll("form.answer-form"));
  const pageState = document.getElementById("page-state");
  const sessionWarning = document.getElementById("session-warning");
  const storageKey = (form) => "cdm-answer:" + form.action;
  const timers = new WeakMap();
  const batchUrl = pageState.dataset.batchUrl;
  let blockedByLogin = false;
  const toConfirm = new WeakSet();  // carried answers the user confirmed as they stand
  const confirmAll = document.getElementById("confirm-all");
  const toReview = () => forms.filter((form) => form.querySelector(".carried-review"));
  function showConfirmAll() {
    if (confirmAll) confirmAll.classList.toggle("d-none", !toReview().length);
  }

  function fields(form) {
    const data = {};
    new FormData(form).forEach((value, name) => {
      if (value instanceof File || name === "csrfmiddlewaretoken") return;
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }

  function remember(form, refused) {
    const entry = { fields: fields(form), at: Date.now() };
    if (refused) entry.refused = refused;  // the server's errors, per field
    try { localStorage.setItem(storageKey(form), JSON.stringify(entry)); } catch (e) { /* storage full or off */ }
  }

  function kept(form) {
    try { return JSON.parse(localStorage.getItem(storageKey(form)) || "null"); } catch (e) { return null; }
  }

  // Kept on this device and still to be sent (not refused by the server as it stands).
  function waiting(form) {
    const answer = kept(form);
    return Boolean(answer && !answer.refused);
  }

  function forget(form) {
    try { localStorage.removeItem(storageKey(form)); } catch (e) { /* ignore */ }
  }

  function setState(form, text, kind) {
    const state = form.querySelector(".save-state");
    state.textContent = text;
    state.className = "save-state small " + ({ ok: "text-success", error: "text-danger", busy: "text-muted" }[kind] || "text-muted");
  }

  function savedText(answer) {
    return texts.saved.replace("%(at)s", answer.at).replace("%(by)s", answer.by).trim();
  }

  // An answer the server refused: its message on the card, the fields it names marked, and the
  // card listed at the top of the page, until the user changes the answer or it is saved.
  function showRefused(form, errors) {
    setState(form, `${texts.invalid} ${Object.values(errors).flat().join(" ")}`, "error");
    let note = form.querySelector(".refused-note");
    if (!note) {
      note = document.createElement("div");
      note.className = "refused-note small text-danger";
      form.querySelector(".save-state").parentElement.after(note);
    }
    note.textContent = texts.refusedNote;
    form.querySelectorAll(".is-invalid").forEach((input) => input.classList.remove("is-invalid"));
    Object.keys(errors).forEach((name) => {
      const input = form.elements[name];
      if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) input.classList.add("is-invalid");
    });
    form.dataset.refused = "1";
    listRefused();
  }

  function clearRefused(form) {
    if (!form.dataset.refused) return;
    delete form.dataset.refused;
    form.querySelector(".refused-note")?.remove();
    form.querySelectorAll(".is-invalid").forEach((input) => input.classList.remove("is-invalid"));
    listRefused();
  }

  function listRefused() {
    const refused = forms.filter((form) => form.dataset.refused);
    let list = document.getElementById("refused-answers");
    if (!refused.length) { list?.remove(); return; }
    if (!list) {
      list = document.createElement("div");
      list.id = "refused-answers";
      list.className = "alert alert-danger small py-2";
      list.setAttribute("role", "status");
      sessionWarning.before(list);
    }
    const links = refused.map((form) => {
      const link = document.createElement("a");
      link.href = `#question-${form.dataset.question}`;
      link.textContent = form.dataset.question;
      return link;
    });
    list.replaceChildren(texts.toCorrect, ...links.flatMap((link) => [" ", link]));
  }

  function markSelectedCards(form) {
    form.querySelectorAll(".level-card").forEach((card) => {
      card.classList.toggle("selected", card.querySelector("input").checked);
    });
  }

  function applyValues(form, answer) {
    form.querySelectorAll("input[name=level]").forEach((i) => { i.checked = Number(i.value) === answer.level; });
    form.querySelectorAll("input[name=yes]").forEach((i) => { i.checked = answer.yes !== null && (i.value === "yes") === answer.yes; });
    form.querySelectorAll("input[name=items]").forEach((i) => { i.checked = (answer.items || []).includes(i.value); });
    const answered = form.querySelector("input[name=answered]");
    if (answered) answered.value = answer.items === null ? "" : "1";
    const number = form.querySelector("input[name=number]");
    if (number) number.value = answer.number === null ? "" : String(answer.number);
    const na = form.querySelector("input[name=not_applicable]");
    if (na) na.checked = answer.not_applicable;
    form.querySelector("textarea[name=comment]").value = answer.comment;
    form.querySelector("input[name=evidence_url]").value = answer.evidence_url;
    markSelectedCards(form);
  }

  function restoreFields(form, saved) {
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((input) => {
      input.checked = (saved[input.name] || []).includes(input.value === "on" ? "on" : input.value);
    });
    ["number", "comment", "evidence_url", "answered"].forEach((name) => {
      const input = form.elements[name];
      if (input && saved[name]) input.value = saved[name][0];
    });
    markSelectedCards(form);
  }

  // The findings of the rules a save checked again (assessment/findings.py): those rules' old
  // findings leave every card, and each new finding shows beside every question it names.
  function showChecks(checks) {
    const rechecked = new Set(checks.rules);
    document.querySelectorAll(".finding").forEach((element) => {
      if (rechecked.has(element.dataset.rule)) element.remove();
    });
    checks.findings.forEach((finding) => {
      finding.questions.forEach((code) => {
        const box = document.querySelector(`.findings[data-question="${CSS.escape(code)}"]`);
        if (box) box.append(findingElement(finding));
      });
    });
  }

  function findingElement(finding) {
    const element = document.createElement("div");
    element.className = `finding finding-${finding.severity} small`;
    element.dataset.rule = finding.rule;
    const badge = document.createElement("span");
    badge.className = `badge ${finding.severity === "warning" ? "text-bg-warning" : "text-bg-info"} me-1`;
    badge.textContent = finding.label;
    const message = document.createElement("span");
    message.className = "finding-message";
    message.textContent = finding.message;
    element.append(badge, message);
    const note = document.createElement("span");
    if (finding.explained_by) {
      note.className = "finding-note text-success";
      note.textContent = texts.explainedBy.replace("%(code)s", finding.explained_by);
    } else if (finding.severity === "warning") {
      note.className = "finding-note text-muted";
      note.textContent = texts.explainHow.replace("%(codes)s", finding.codes);
    }
    if (note.textContent) element.append(note);
    return element;
  }

  function updateProgress(progress) {
    Object.entries(progress.directions).forEach(([direction, counts]) => {
      const link = document.querySelector(`.progress-list [data-direction="${direction}"]`);
      if (!link) return;
      const bar = link.querySelector(".progress-bar");
      bar.style.width = counts.percent + "%";
      bar.classList.toggle("bg-success", counts.answered >= counts.total);
      link.querySelector(".progress").setAttribute("aria-valuenow", counts.percent);
      link.querySelector(".progress-count").textContent = `${counts.answered}/${counts.total}`;
    });
    document.querySelectorAll(".overall-answered").forEach((el) => { el.textContent = progress.overall.answered; });
    document.querySelectorAll(".overall-percent").forEach((el) => { el.textContent = progress.overall.percent; });
    if (progress.overall.evidence_percent !== undefined) {
      document.querySelectorAll(".overall-evidence").forEach((el) => { el.textContent = progress.overall.evidence_percent; });
    }
  }

  function showConflict(form, theirs) {
    const box = form.querySelector(".conflict");
    box.replaceChildren();
    const line = document.createElement("div");
    line.textContent = `${texts.conflict} ${theirs.display} (${theirs.by} ${theirs.at})`;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.className = "btn btn-sm btn-warning me-2 mt-2";
    keep.textContent = texts.keepMine;
    keep.addEventListener("click", () => {
      form.elements.revision.value = theirs.revision;
      box.classList.add("d-none");
      save(form);
    });
    const take = document.createElement("button");
    take.type = "button";
    take.className = "btn btn-sm btn-outline-secondary mt-2";
    take.textContent = texts.takeTheirs;
    take.addEventListener("click", () => {
      form.elements.revision.value = theirs.revision;
      applyValues(form, theirs);
      storedAnswer.set(form, answerOf(form));
      forget(form);
      clearRefused(form);
      box.classList.add("d-none");
      setState(form, savedText(theirs), "ok");
    });
    box.append(line, keep, take);
    box.classList.remove("d-none");
  }

  // One request per answer at a time. Two at once would carry the same revision, and the second
  // would come back as a conflict with the user's own first save (a second click while the
  // first is on its way; two "online" events). A save asked for meanwhile follows the one on its
  // way, with the revision that one brings back, if the answer has changed since it was sent.
  const inFlight = new WeakMap();
  const sentAnswer = new WeakMap();
  const storedAnswer = new WeakMap();  // the answer as the server has it (on load, after each save)
  const askedMeanwhile = new WeakSet();
  const refusedMeanwhile = new WeakSet();  // refused, but changed since it was sent
  function answerOf(form) {
    const data = fields(form);
    delete data.revision;
    const file = form.querySelector("input[type=file]");
    if (file && file.files.length) data.evidence_file = [file.files[0].name, file.files[0].size, file.files[0].lastModified];
    return JSON.stringify(data);
  }

  async function save(form) {
    clearTimeout(timers.get(form));
    remember(form);
    if (inFlight.has(form)) {
      askedMeanwhile.add(form);
      return inFlight.get(form);
    }
    const request = send(form);
    inFlight.set(form, request);
    let saved;
    try { saved = await request; } finally { inFlight.delete(form); }
    // A change made meanwhile follows a save, or a refusal (it may be the correction).
    const refused = refusedMeanwhile.delete(form);
    if (askedMeanwhile.delete(form) && (saved || refused) && answerOf(form) !== sentAnswer.get(form)) return save(form);
    return saved;
  }

  async function send(form) {
    sentAnswer.set(form, answerOf(form));
    setState(form, texts.saving, "busy");
    const body = new FormData(form);
    if (toConfirm.has(form)) body.append("confirm", "on");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (error) {
      setState(form, texts.failed, "error");
      return false;
    }
    if (needsLogin(response)) { showLoginNeeded([form]); return false; }
    const data = await response.json().catch(() => ({}));
    const saved = settle(form, data);
    if (data.progress) updateProgress(data.progress);
    if (data.checks) showChecks(data.checks);
    return saved;
  }

  function needsLogin(response) {
    return response.status === 401 || response.status === 403 || response.redirected;
  }

  function showLoginNeeded(waiting) {
    blockedByLogin = true;
    sessionWarning.classList.remove("d-none");
    waiting.forEach((form) => setState(form, texts.unsaved, "error"));
  }

  // What the server said of one answer (a single save's reply, or one entry of a batch's).
  function settle(form, result) {
    if (result.status === "saved") {
      form.elements.revision.value = result.answer.revision;
      if (answerOf(form) === sentAnswer.get(form)) {  // else the newer answer waits to be sent
        forget(form);
        const file = form.querySelector("input[type=file]");
        if (file && file.value) { file.value = ""; }
        storedAnswer.set(form, answerOf(form));
      }
      setState(form, result.answer.revision ? savedText(result.answer) : texts.unsaved, result.answer.revision ? "ok" : "busy");
      clearRefused(form);
      if (!result.answer.needs_review) {  // reviewed now: changed, or confirmed
        toConfirm.delete(form);
        form.querySelectorAll(".carried-review").forEach((notice) => notice.remove());
        showConfirmAll();
      }
      return true;
    }
    if (result.status === "submitted") {  // too late: kept on this device, shown, not sent again
      remember(form, { submitted: [result.message] });
      setState(form, result.message, "error");
      pageState.textContent = result.message;
      return false;
    }
    if (result.status === "conflict") {
      showConflict(form, result.theirs);
      setState(form, texts.unsaved, "error");
      return false;
    }
    if (result.status === "invalid" && result.errors) {
      if (answerOf(form) === sentAnswer.get(form)) {  // kept, marked, so it is not sent again as it is
        remember(form, result.errors);
        showRefused(form, result.errors);
      } else {  // the newer answer waits to be sent
        setState(form, `${texts.invalid} ${Object.values(result.errors).flat().join(" ")}`, "error");
        refusedMeanwhile.add(form);
      }
      return false;
    }
    setState(form, texts.failed, "error");
    return false;
  }

  // The answer of a form as an entry of a batch (assessment/answers_batch.py).
  function entryOf(form) {
    const data = fields(form);
    const one = (name) => (data[name] || [""])[0];
    const entry = { question: form.dataset.question, revision: Number(form.elements.revision.value || 0) };
    if (one("not_applicable")) entry.not_applicable = true;
    if (toConfirm.has(form)) entry.confirm = true;
    if (one("level")) entry.level = Number(one("level"));
    if (one("yes")) entry.yes = one("yes") === "yes";
    if (one("answered")) entry.items = data.items || [];
    if (one("number").trim()) entry.number = one("number");
    entry.comment = one("comment");
    entry.evidence_url = one("evidence_url");
    return entry;
  }

  // Many answers in one request: what waited on this device, or "Save all". Answers with a file to
  // upload, and answers already on their way, go one by one.
  async function saveMany(waiting) {
    const alone = (form) => inFlight.has(form) || (form.querySelector("input[type=file]")?.files.length ?? 0) > 0;
    const batch = batchUrl ? waiting.filter((form) => !alone(form)) : [];
    const single = waiting.filter((form) => !batch.includes(form));
    if (batch.length === 1) single.push(batch.pop());
    const singles = Promise.all(single.map((form) => save(form)));
    let batched = [];
    if (batch.length) {
      batch.forEach((form) => { clearTimeout(timers.get(form)); remember(form); });
      const request = sendBatch(batch);
      batch.forEach((form, i) => inFlight.set(form, request.then((results) => results[i])));
      try { batched = await request; } finally { batch.forEach((form) => inFlight.delete(form)); }
      batch.forEach((form) => refusedMeanwhile.delete(form));  // changed ones follow up below anyway
      const followUps = batch.filter((form) => askedMeanwhile.delete(form) && answerOf(form) !== sentAnswer.get(form));
      batched = batched.concat(await Promise.all(followUps.map((form) => save(form))));
    }
    return (await singles).concat(batched);
  }

  async function sendBatch(batch) {
    batch.forEach((form) => { sentAnswer.set(form, answerOf(form)); setState(form, texts.saving, "busy"); });
    let response;
    try {
      response = await fetch(batchUrl, {
        method: "POST",
        body: JSON.stringify({ answers: batch.map(entryOf) }),
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": batch[0].elements.csrfmiddlewaretoken.value,
        },
        credentials: "same-origin",
      });
    } catch (error) {
      batch.forEach((form) => setState(form, texts.failed, "error"));
      return batch.map(() => false);
    }
    if (needsLogin(response)) { showLoginNeeded(batch); return batch.map(() => false); }
    const data = await response.json().catch(() => ({}));
    if (data.status === "submitted") return batch.map((form) => settle(form, data));
    if (!data.answers) {  // not read as a batch at all: no verdict on any answer, all kept to resend
      const message = data.errors ? `${texts.invalid} ${Object.values(data.errors).flat().join(" ")}` : texts.failed;
      batch.forEach((form) => setState(form, message, "error"));
      return batch.map(() => false);
    }
    const results = Object.fromEntries(data.answers.map((result) => [result.question, result]));
    const saved = batch.map((form) => settle(form, results[form.dataset.question] || {}));
    if (data.progress) updateProgress(data.progress);
    if (data.checks) showChecks(data.checks);
    return saved;
  }

  function scheduleSave(form, delay) {
    remember(form);
    clearRefused(form);
    setState(form, texts.unsaved, "busy");
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(() => save(form), delay));
  }

  const restored = [];  // answers kept on this device, to resend together
  forms.forEach((form) => {
    form.addEventListener("change", (event) => {
      if (event.target.name === "items") form.elements.answered.value = "1";
      if (event.target.name === "level") markSelectedCards(form);
      scheduleSave(form, event.target.matches("input[type=text], textarea, input[type=url]") ? 600 : 0);
    });
    form.addEventListener("input", (event) => {
      if (event.target.matches("input[type=text], textarea, input[type=url]")) scheduleSave(form, 1500);
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (event.submitter && event.submitter.name === "confirm") toConfirm.add(form);
      save(form);
    });
    // An answer typed before a lost connection or an expired session: put it back and save it.
    // One the server refused: put it back with the server's message, to be corrected.
    const saved = kept(form);
    if (saved && saved.fields) {
      restoreFields(form, saved.fields);
      if (saved.fields.revision) form.elements.revision.value = saved.fields.revision[0];
      if (saved.refused) {
        showRefused(form, saved.refused);
      } else {
        setState(form, texts.restored, "busy");
        restored.push(form);
      }
    }
  });
  if (restored.length) saveMany(restored);

  forms.forEach((form) => { if (!kept(form)) storedAnswer.set(form, answerOf(form)); });

  // Changed on the page since the server last had it, or waiting on this device; not an answer the
  // server refused as it stands (it waits for a correction).
  function toSave(form) {
    return !form.dataset.refused && (waiting(form) || answerOf(form) !== storedAnswer.get(form));
  }

  async function saveAndReport(chosen) {
    if (!chosen.length) { pageState.textContent = texts.nothingToSave; return; }
    pageState.textContent = texts.saving;
    const results = await saveMany(chosen);
    if (pageState.textContent === texts.saving) pageState.textContent = results.every(Boolean) ? texts.allSaved : texts.unsaved;
  }

  const saveAll = document.getElementById("save-all");
  if (saveAll) saveAll.addEventListener("click", () => saveAndReport(forms.filter(toSave)));

  // "Confirm all carried answers on this page": only after the user says they checked them.
  if (confirmAll) {
    showConfirmAll();
    confirmAll.addEventListener("click", () => {
      const chosen = toReview();
      if (!chosen.length || !window.confirm(confirmAll.dataset.question)) return;
      chosen.forEach((form) => toConfirm.add(form));
      saveAndReport(chosen);
    });
  }

  window.addEventListener("online", () => {
    saveMany(forms.filter(waiting));
  });
  // Back from logging in again in another tab: a fresh page brings a fresh session token and
  // saves what waited on this device.
  window.addEventListener("focus", () => { if (blockedByLogin) window.location.reload(); });
  window.addEventListener("beforeunload", (event) => {
    if (forms.some(waiting)) event.preventDefault();  // a refused answer is kept, and shown on return
  });
})();
