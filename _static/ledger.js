// Filters of the claims ledger: hide rows whose data attributes do not match the chosen values.
document.addEventListener("DOMContentLoaded", function () {
  var ledger = document.getElementById("ds-ledger");
  if (!ledger) { return; }
  var selects = ledger.querySelectorAll("select[data-filter]");
  var rows = ledger.querySelectorAll("tbody tr");
  var count = ledger.querySelector(".ds-ledger-count");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = Array.prototype.every.call(selects, function (select) {
        return !select.value || row.dataset[select.dataset.filter] === select.value;
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = shown + " claims shown";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
});
