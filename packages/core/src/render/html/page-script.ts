/**
 * The only script of an HTML report, inline (its SHA-256 is in the page's Content-Security-Policy):
 * sorts a table when a header's button is clicked, hides the rows that do not match the filter box
 * and the pressed filter chips, and filters the table to an account clicked in the graph. Plain DOM, no library: the renderer writes a sort key on
 * every cell (`data-sort`), so sorting is a comparison, and filtering is what no table library does
 * for us anyway (see the README, "The HTML report").
 */
export const PAGE_SCRIPT = `
'use strict';
(function () {
  function cellKey(row, index) {
    var cell = row.cells[index];
    if (!cell) return '';
    var key = cell.getAttribute('data-sort');
    return key === null ? cell.textContent.trim().toLowerCase() : key;
  }
  document.querySelectorAll('table.report th button').forEach(function (button) {
    button.addEventListener('click', function () {
      var th = button.closest('th');
      var table = th.closest('table');
      var tbody = table.tBodies[0];
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var numeric = th.getAttribute('data-type') === 'number';
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th[aria-sort]').forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = cellKey(a, index);
        var y = cellKey(b, index);
        var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x < y ? -1 : x > y ? 1 : 0;
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
    });
  });
  document.querySelectorAll('[data-filter-for]').forEach(function (controls) {
    var table = document.getElementById(controls.getAttribute('data-filter-for'));
    var box = controls.querySelector('input[type=search]');
    var count = controls.querySelector('.count');
    function apply() {
      var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
      var wanted = {};
      controls.querySelectorAll('button.chip[aria-pressed=true]').forEach(function (chip) {
        var key = chip.getAttribute('data-key');
        (wanted[key] = wanted[key] || []).push(chip.getAttribute('data-value'));
      });
      var shown = 0;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i];
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        for (var key in wanted) {
          if (wanted[key].indexOf(row.getAttribute('data-' + key)) < 0) match = false;
        }
        row.hidden = !match;
        if (match) shown++;
      }
      count.textContent = shown + ' of ' + rows.length + ' shown';
    }
    box.addEventListener('input', apply);
    // Clicking an account in the graph filters the table to the rows that mention it.
    document.querySelectorAll('[data-filters="' + table.id + '"] g.node.account').forEach(function (node) {
      var link = node.querySelector('a');
      var address = link && link.getAttributeNS('http://www.w3.org/1999/xlink', 'title');
      if (!address) return;
      node.addEventListener('click', function () {
        box.value = address;
        apply();
        table.scrollIntoView();
      });
    });
    controls.querySelectorAll('button.chip').forEach(function (chip) {
      chip.addEventListener('click', function () {
        chip.setAttribute('aria-pressed', chip.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
        apply();
      });
    });
    apply();
  });
})();
`;
