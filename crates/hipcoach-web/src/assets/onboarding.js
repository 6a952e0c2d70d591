// Getting started: follow-up questions appear only when the answer they follow asks for them.
// Without this script every question shows, each labelled with when it applies.
(() => {
  "use strict";
  const form = document.querySelector("form.questions");
  if (!form) return;
  const followUps = [...form.querySelectorAll(".question[data-shown-if]")];
  const answer = (name) => {
    const field = form.querySelector(`[name="${name}"]:checked`) || form.querySelector(`input[type=number][name="${name}"]`);
    return field && !field.disabled ? field.value : "";
  };
  function update() {
    // Follow-ups of follow-ups: repeat until nothing changes (the chain is short).
    for (let pass = 0; pass < followUps.length; pass += 1) {
      let changed = false;
      for (const question of followUps) {
        const show = question.dataset.shownFor.split(" ").includes(answer(question.dataset.shownIf));
        if (question.hidden === !show) continue;
        question.hidden = !show;
        // A hidden question's answer is not sent: it does not apply.
        for (const input of question.querySelectorAll("input")) input.disabled = !show;
        changed = true;
      }
      if (!changed) break;
    }
  }
  for (const note of form.querySelectorAll(".only-if")) note.hidden = true;
  form.addEventListener("change", update);
  update();
})();
