// readinglist: progressive enhancements.  Every page reads fine without this.
//
// * Tables of papers (`.rl-table table`) get sort buttons in their headers and,
//   when long, a filter box that hides the rows that do not match.
// * A `<div class="rl-filter" data-rl-filter="Label">` (timeline, authors)
//   becomes a filter box for the lists after it; headings whose lists end up
//   empty are hidden with them.
// * Search results show a title and the words around the match: Material
//   shows a result's whole matching paragraph, for a paper its whole abstract.
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

  // ---------------------------------------------------------- search results

  var SNIPPET_WORDS = 24;

  // The text of `node` as runs: [{text, mark}], `mark` true inside <mark>.
  function runsOf(node, inMark, runs) {
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        runs.push({ text: child.nodeValue, mark: inMark });
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        runsOf(child, inMark || child.tagName === "MARK", runs);
      }
    });
    return runs;
  }

  // [from, to) of `text`: SNIPPET_WORDS whole words, the word at `at` a third of the way in.
  function snippetRange(text, at) {
    var words = [];
    text.replace(/\S+/g, function (word, start) { words.push([start, start + word.length]); });
    if (!words.length) return [0, 0];
    var hit = 0;
    while (hit < words.length - 1 && words[hit][1] <= at) hit++;
    var first = Math.max(0, hit - Math.floor(SNIPPET_WORDS / 3));
    var last = Math.min(words.length, first + SNIPPET_WORDS) - 1;
    return [words[first][0], words[last][1]];
  }

  // The paragraph, cut to its words around the first match (or its first words).
  function cutToSnippet(paragraph) {
    var runs = runsOf(paragraph, false, []);
    var text = runs.map(function (r) { return r.text; }).join("");
    var at = 0, offset = 0;
    for (var i = 0; i < runs.length; i++) {
      if (runs[i].mark) { at = offset; break; }
      offset += runs[i].text.length;
    }
    var range = snippetRange(text, at);
    while (paragraph.firstChild) paragraph.removeChild(paragraph.firstChild);
    if (range[0] > 0) paragraph.appendChild(document.createTextNode("… "));
    offset = 0;
    runs.forEach(function (run) {
      var from = Math.max(range[0], offset), to = Math.min(range[1], offset + run.text.length);
      if (from < to) {
        var piece = run.text.slice(from - offset, to - offset);
        if (run.mark) {
          var mark = document.createElement("mark");
          mark.textContent = piece;
          paragraph.appendChild(mark);
        } else {
          paragraph.appendChild(document.createTextNode(piece));
        }
      }
      offset += run.text.length;
    });
    if (range[1] < text.replace(/\s+$/, "").length) paragraph.appendChild(document.createTextNode(" …"));
    paragraph.classList.add("rl-snippet");
  }

  // One paragraph per result: the last (a paper's abstract, after its authors and
  // topics) when it holds a match or nothing does, else the first that does.
  function trimResult(article) {
    if (article.hasAttribute("data-rl-snippet")) return;
    article.setAttribute("data-rl-snippet", "");
    var paragraphs = Array.prototype.filter.call(article.children, function (node) {
      return node.tagName === "P" && !node.classList.contains("md-search-result__terms");
    });
    if (!paragraphs.length) return;
    var last = paragraphs[paragraphs.length - 1];
    var keep = last.querySelector("mark") ? last :
      paragraphs.filter(function (p) { return p.querySelector("mark"); })[0] || last;
    paragraphs.forEach(function (p) { if (p !== keep) p.parentNode.removeChild(p); });
    cutToSnippet(keep);
  }

  function watchSearchResults() {
    var list = document.querySelector(".md-search-result__list:not([data-rl-ready])");
    if (!list || typeof MutationObserver === "undefined") return;
    list.setAttribute("data-rl-ready", "");
    new MutationObserver(function () {
      list.querySelectorAll("article.md-search-result__article:not([data-rl-snippet])").forEach(trimResult);
    }).observe(list, { childList: true, subtree: true });
  }

  // -------------------------------------------------------------------- glue

  function enhance() {
    watchSearchResults();
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
