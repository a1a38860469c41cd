// The conflict panel (duban/partials/conflict.html): copy the stored words into the form, or merge them
// with the editor's own, before saving again.  No inline script, so a strict CSP allows it.
(function () {
  function field(name) {
    return document.querySelector('form [name="' + name + '"]');
  }
  document.querySelectorAll("#conflict .conflict-row").forEach(function (row) {
    var target = field(row.dataset.field);
    if (!target) {
      row.querySelectorAll(".conflict-actions").forEach(function (el) { el.hidden = true; });
      return;
    }
    var initial = target.value;
    var mine = row.querySelector(".conflict-mine").value;
    var theirs = row.querySelector(".conflict-theirs").value;
    row.querySelectorAll("button[data-conflict]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.dataset.conflict;
        if (target.tagName === "SELECT") target.value = how === "mine" ? initial : row.dataset.value;
        else if (how === "theirs") target.value = theirs;
        else if (how === "mine") target.value = mine;
        else target.value = theirs + (theirs && mine ? "\n" : "") + mine;
        target.dispatchEvent(new Event("input", { bubbles: true }));
        target.focus();
      });
    });
  });
})();
