// readinglist: progressive enhancements.  Every page reads fine without this.
//
// * Tables of papers (`.rl-table table`) get sort buttons in their headers and,
//   when long, a filter box that hides the rows that do not match.
// * A `<div class="rl-filter" data-rl-filter="Label">` (timeline, authors)
//   becomes a filter box for the lists after it; headings whose lists end up
//   empty are hidden with them.
//
// Material's instant navigation swaps pages without a reload and announces
// each one on `document$`; without Material we run once on DOMContentLoaded.
(function () {
  "use strict";

  var FILTER_MIN_ROWS = 10;
  var EMPTY = /^(|—|-)$/;

  function normalise(text) {
    return text.replace(/\s+/g, " ").trim().toLowerCase();
  }

  function filterInput(label) {
    var box = document.createElement("div");
    box.className = "rl-filterbox";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = label;
    input.setAttribute("aria-label", label);
    input.className = "md-input rl-filter-input";
    var status = document.createElement("span");
    status.className = "rl-filter-status";
    status.setAttribute("aria-live", "polite");
    box.appendChild(input);
    box.appendChild(status);
    return { box: box, input: input, status: status };
  }

  // ------------------------------------------------------------------ tables

  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? normalise(cell.textContent) : "";
  }

  function isNumericColumn(rows, index) {
    var seen = false;
    for (var i = 0; i < rows.length; i++) {
      var value = cellValue(rows[i], index);
      if (EMPTY.test(value)) continue;
      if (isNaN(Number(value))) return false;
      seen = true;
    }
    return seen;
  }

  function compareRows(index, numeric, direction) {
    return function (a, b) {
      var x = cellValue(a.row, index), y = cellValue(b.row, index);
      var xEmpty = EMPTY.test(x), yEmpty = EMPTY.test(y);
      if (xEmpty || yEmpty) {  // unknown values last, whichever the direction
        return xEmpty === yEmpty ? a.position - b.position : (xEmpty ? 1 : -1);
      }
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { numeric: true });
      return order !== 0 ? order * direction : a.position - b.position;
    };
  }

  function sortBy(table, index, header) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var direction = header.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var numeric = isNumericColumn(rows, index);
    var keyed = rows.map(function (row, position) { return { row: row, position: position }; });
    keyed.sort(compareRows(index, numeric, direction));
    keyed.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
  }

  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rl-sort";
      button.title = "Sort by " + header.textContent.trim();
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, header); });
    });
  }

  function addTableFilter(table) {
    var rows = table.tBodies.length ? table.tBodies[0].rows : [];
    if (rows.length <= FILTER_MIN_ROWS) return;
    var parts = filterInput("Filter these papers");
    var wrapper = table.closest(".rl-table") || table;
    wrapper.parentNode.insertBefore(parts.box, wrapper);
    parts.input.addEventListener("input", function () {
      var query = normalise(parts.input.value), shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var match = !query || normalise(row.textContent).indexOf(query) !== -1;
        row.hidden = !match;
        if (match) shown++;
      });
      parts.status.textContent = query ? shown + " of " + rows.length : "";
    });
  }

  // ------------------------------------------------------------------- lists

  function headingLevel(node) {
    var match = /^H([1-6])$/.exec(node.tagName);
    return match ? Number(match[1]) : 0;
  }

  function listHasVisibleItem(node) {
    return (node.tagName === "UL" || node.tagName === "OL") &&
      Array.prototype.some.call(node.children, function (li) { return !li.hidden; });
  }

  function isList(node) {
    return node.tagName === "UL" || node.tagName === "OL";
  }

  // A heading stays when a list in its section still shows an item; other
  // blocks of a section (notes) follow their nearest heading.
  function updateSections(nodes, active) {
    var visible = nodes.map(function () { return true; });
    nodes.forEach(function (node, i) {
      var level = headingLevel(node);
      if (!level || !active) return;
      var hasList = false, shows = false;
      for (var j = i + 1; j < nodes.length; j++) {
        var next = headingLevel(nodes[j]);
        if (next && next <= level) break;
        if (isList(nodes[j])) {
          hasList = true;
          shows = shows || listHasVisibleItem(nodes[j]);
        }
      }
      visible[i] = !hasList || shows;
    });
    var current = true;
    nodes.forEach(function (node, i) {
      if (headingLevel(node)) {
        current = visible[i];
        node.hidden = !current;
      } else if (isList(node)) {
        node.hidden = !listHasVisibleItem(node);
      } else {
        node.hidden = active && !current;
      }
    });
  }

  function addListFilter(marker) {
    var parent = marker.parentNode;
    var nodes = [], seen = false;
    Array.prototype.forEach.call(parent.children, function (node) {
      if (node === marker) { seen = true; return; }
      if (seen) nodes.push(node);
    });
    var items = [];
    nodes.forEach(function (node) {
      if (isList(node)) items = items.concat(Array.prototype.slice.call(node.children));
    });
    var parts = filterInput(marker.getAttribute("data-rl-filter") || "Filter");
    marker.appendChild(parts.box);
    parts.input.addEventListener("input", function () {
      var query = normalise(parts.input.value), shown = 0;
      items.forEach(function (li) {
        var match = !query || normalise(li.textContent).indexOf(query) !== -1;
        li.hidden = !match;
        if (match) shown++;
      });
      updateSections(nodes, Boolean(query));
      parts.status.textContent = query ? shown + " of " + items.length : "";
    });
  }

  // -------------------------------------------------------------------- glue

  function enhance() {
    document.querySelectorAll(".rl-table table:not([data-rl-ready])").forEach(function (table) {
      table.setAttribute("data-rl-ready", "");
      makeSortable(table);
      addTableFilter(table);
    });
    document.querySelectorAll("div.rl-filter:not([data-rl-ready])").forEach(function (marker) {
      marker.setAttribute("data-rl-ready", "");
      addListFilter(marker);
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
