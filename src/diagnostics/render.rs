//! Diagnostic output formats: human (miette), JSON, GitHub workflow
//! annotations and SARIF 2.1.0.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde_json::{json, Value};

use super::{Code, Diagnostic, Report, Severity};
use crate::source::{SourceFile, Sources, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the problem underlined.
    Human,
    /// A JSON array, one object per diagnostic.
    Json,
    /// GitHub Actions workflow commands (`::error file=…::…`).
    Github,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

/// How human output is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

pub fn render(report: &Report, sources: &Sources, format: Format, style: Style) -> String {
    match format {
        Format::Human => human(report, sources, style),
        Format::Json => {
            let items: Vec<Value> = report
                .diagnostics
                .iter()
                .map(|d| to_json(d, sources))
                .collect();
            let mut text = serde_json::to_string_pretty(&items).unwrap_or_default();
            text.push('\n');
            text
        }
        Format::Github => github(report, sources),
        Format::Sarif => {
            let mut text =
                serde_json::to_string_pretty(&sarif(report, sources)).unwrap_or_default();
            text.push('\n');
            text
        }
    }
}

/// `file:line:col` of a span.
pub fn position(span: &Span, sources: &Sources) -> String {
    let (line, col) = sources.position(*span);
    format!("{}:{line}:{col}", sources.name(span.file))
}

// --- human -----------------------------------------------------------------

/// Adapts one diagnostic to miette, with its file as source code.
struct Human<'a> {
    d: &'a Diagnostic,
    source: Option<Snippet>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Human<'_> {}

impl miette::Diagnostic for Human<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.d.code.as_str(),
            self.d.code.name()
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

fn human(report: &Report, sources: &Sources, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_width(style.width)
        .with_break_words(false);
    let mut out = String::new();
    for d in &report.diagnostics {
        let mut notes: Vec<String> = Vec::new();
        let mut labels = Vec::new();
        // A span that may not be quoted (inside a Secret) is named by position.
        let quoted = d.span.filter(|_| d.quote);
        let file = quoted.and_then(|span| sources.get(span.file));
        let mut spans = Vec::new();
        if let Some(span) = quoted {
            spans.push(first_line(span, file));
        }
        // Related spans quoted beside the primary one, in snippet order.
        let mut beside = Vec::new();
        for r in &d.related {
            match quoted {
                Some(span) if r.quote && span.file == r.span.file => {
                    spans.push(first_line(r.span, file));
                    beside.push(r);
                }
                _ => notes.push(format!("{}: {}", r.message, position(&r.span, sources))),
            }
        }
        let source = file.and_then(|file| Snippet::new(file, &spans));
        match (&source, d.span) {
            (Some(snippet), Some(_)) => {
                let mut placed = snippet.labels.iter();
                if let Some(at) = placed.next() {
                    let label = d.object.clone().unwrap_or_else(|| "here".into());
                    labels.push(LabeledSpan::new_primary_with_span(Some(label), *at));
                }
                for (r, at) in beside.iter().zip(placed) {
                    labels.push(LabeledSpan::new_with_span(Some(r.message.clone()), *at));
                }
            }
            (_, Some(span)) => {
                notes.insert(0, format!("at {}", position(&span, sources)));
                for r in beside {
                    notes.push(format!("{}: {}", r.message, position(&r.span, sources)));
                }
            }
            _ => {}
        }
        if d.span.is_none() || !d.quote {
            if let Some(object) = &d.object {
                notes.push(format!("in {object}"));
            }
        }
        let mut help = d.help.clone();
        if !notes.is_empty() {
            let joined = notes.join("\n");
            help = Some(match help {
                // Without a snippet, the position comes first.
                Some(h) if source.is_none() => format!("{joined}\n{h}"),
                Some(h) => format!("{h}\n{joined}"),
                None => joined,
            });
        }
        let wrapped = Human {
            d,
            source,
            labels,
            help,
        };
        if handler.render_report(&mut out, &wrapped).is_err() {
            out.push_str(&format!("{}: {}\n", d.severity, d.message));
        }
        out.push('\n');
    }
    let (errors, warnings) = report.counts();
    if errors + warnings > 0 {
        out.push_str(&summary(errors, warnings));
        out.push('\n');
    }
    out
}

// --- snippets --------------------------------------------------------------

/// `span` cut to its first line: a span over a whole mapping (a document,
/// say) would otherwise quote every line of it.
fn first_line(span: Span, file: Option<&SourceFile>) -> Span {
    let end = file
        .and_then(|f| f.text.get(span.start()..span.end()))
        .and_then(|t| t.find('\n'))
        .map_or(span.end(), |i| span.start() + i);
    Span::new(span.file, span.start(), end)
}

/// Lines longer than this (in bytes) are cut to a window around the spot a
/// label points at: miette cannot draw a column past 65,535, and a minified
/// one-line JSON file would otherwise be printed whole.
const LONG_LINE: usize = 240;
/// Bytes of a cut line shown before the spot, and in all.
const WINDOW_BEFORE: usize = 60;
const WINDOW: usize = 160;
/// Lines of context miette shows around each label (its default).
const CONTEXT_LINES: usize = 1;

/// The parts of one file that a diagnostic's snippet shows, for miette.
///
/// Each group of nearby labels gets a region: its lines and one line of
/// context either side, long lines cut to a window. Regions sit one after
/// the other in a virtual text of their own, so the cost is that of the
/// lines shown, not of the file; line numbers and the `file:line:col` in
/// the header stay those of the file.
struct Snippet {
    name: String,
    regions: Vec<Region>,
    /// Where each span (in the order given) lies in the virtual text.
    labels: Vec<SourceSpan>,
    /// The exact 0-based line and column of each label start.
    starts: Vec<(usize, usize, usize)>,
}

struct Region {
    /// Offset of `text` in the virtual text.
    virt: usize,
    text: String,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
    lines: usize,
    /// The shown part of each line: (file range, virtual offset of its start).
    windows: Vec<(usize, usize, usize)>,
}

impl Snippet {
    /// `None` when a span does not fit the file's text (whose content may
    /// not be shown, e.g. a file that is not UTF-8).
    fn new(file: &SourceFile, spans: &[Span]) -> Option<Snippet> {
        let text = file.text.as_str();
        let fits = |s: &Span| {
            s.start() <= s.end()
                && s.end() <= text.len()
                && text.is_char_boundary(s.start())
                && text.is_char_boundary(s.end())
        };
        if text.is_empty() || spans.is_empty() || !spans.iter().all(fits) {
            return None;
        }
        // The 1-based line and column of each span's start.
        let positions: Vec<(usize, usize)> =
            spans.iter().map(|s| file.position(s.start())).collect();
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| spans.get(i).map(|s| s.start()));
        let mut snippet = Snippet {
            name: file.name.clone(),
            regions: Vec::new(),
            labels: vec![SourceSpan::from((0, 0)); spans.len()],
            starts: Vec::new(),
        };
        let mut group: Vec<usize> = Vec::new();
        let mut group_end = (0, 0); // byte, 0-based line of the last label end
        let mut virt = 0;
        for i in order {
            let (Some(span), Some(&(line, _))) = (spans.get(i), positions.get(i)) else {
                continue;
            };
            let end_line = line - 1 + newlines(text, span.start(), span.end());
            let near = line - 1 <= group_end.1 + 2 * CONTEXT_LINES;
            if !group.is_empty() && !near {
                virt = snippet.add_region(text, spans, &positions, &group, group_end.0, virt);
                group.clear();
            }
            group_end = if group.is_empty() {
                (span.end(), end_line)
            } else {
                (span.end().max(group_end.0), end_line.max(group_end.1))
            };
            group.push(i);
        }
        if !group.is_empty() {
            snippet.add_region(text, spans, &positions, &group, group_end.0, virt);
        }
        Some(snippet)
    }

    /// Adds the region of the labels `group` (sorted by start), whose last
    /// byte is `end`; returns the virtual offset after it.
    fn add_region(
        &mut self,
        text: &str,
        spans: &[Span],
        positions: &[(usize, usize)],
        group: &[usize],
        end: usize,
        virt: usize,
    ) -> usize {
        let Some((first, &(first_line, _))) = group
            .first()
            .and_then(|&i| Some((spans.get(i)?, positions.get(i)?)))
        else {
            return virt;
        };
        let mut region = Region {
            virt,
            text: String::new(),
            first_line: first_line - 1,
            lines: 0,
            windows: Vec::new(),
        };
        let (line_start, known) = line_start(text, first.start());
        // The line before, when the labels' first line is short enough to
        // know where it starts.
        if known && line_start > 0 && first_line > 1 {
            let prev_end = line_start - 1;
            let (prev_start, _) = line_start_of(text, prev_end);
            region.push_line(text, prev_start, prev_end, prev_end, true);
            region.first_line -= 1;
        }
        // The labels' lines: the first cut around the first label, the others
        // from their start.
        let mut at = line_start;
        let mut focus = first.start();
        let mut cut = !known;
        loop {
            let line_end = text.get(at..).and_then(|t| t.find('\n')).map(|i| at + i);
            let finish = line_end.unwrap_or(text.len());
            region.push_cut_line(text, (at, cut), finish, focus, false);
            cut = false;
            match line_end {
                Some(nl) if nl < end => {
                    at = nl + 1;
                    focus = at;
                }
                Some(nl) => {
                    // One line of context after, unless the labels' last
                    // line was cut (its end is then not worth finding).
                    let next = nl + 1;
                    if next < text.len() {
                        let next_end = text
                            .get(next..)
                            .and_then(|t| t.find('\n'))
                            .map_or(text.len(), |i| next + i);
                        region.push_line(text, next, next_end, next, false);
                    }
                    break;
                }
                None => break,
            }
        }
        for &i in group {
            let (Some(span), Some(&(line, col))) = (spans.get(i), positions.get(i)) else {
                continue;
            };
            let start = region.map(span.start());
            let stop = region.map(span.end()).max(start);
            if let Some(label) = self.labels.get_mut(i) {
                *label = SourceSpan::from((start, stop - start));
            }
            self.starts.push((start, line - 1, col.saturating_sub(1)));
        }
        let next = virt + region.text.len();
        self.regions.push(region);
        next
    }
}

/// Newlines in `text[start..end]`.
fn newlines(text: &str, start: usize, end: usize) -> usize {
    text.as_bytes()
        .get(start..end)
        .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
}

/// The start of the line holding `at`, looked for at most a few windows
/// back: `(start, true)`, or `(a point shortly before at, false)` on a very
/// long line.
fn line_start(text: &str, at: usize) -> (usize, bool) {
    let from = at.saturating_sub(LONG_LINE);
    match text
        .as_bytes()
        .get(from..at)
        .and_then(|b| b.iter().rposition(|c| *c == b'\n'))
    {
        Some(i) => (from + i + 1, true),
        None if from == 0 => (0, true),
        None => (floor_char(text, at.saturating_sub(WINDOW_BEFORE)), false),
    }
}

/// The start of the line that ends at `end` (a newline), bounded as above.
fn line_start_of(text: &str, end: usize) -> (usize, bool) {
    let from = end.saturating_sub(LONG_LINE);
    match text
        .as_bytes()
        .get(from..end)
        .and_then(|b| b.iter().rposition(|c| *c == b'\n'))
    {
        Some(i) => (from + i + 1, true),
        None if from == 0 => (0, true),
        None => (floor_char(text, end.saturating_sub(WINDOW)), false),
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl Region {
    /// Appends the line `text[start..end]` (without its newline), cut to a
    /// window around `focus` when long; `tail` shows its end instead.
    fn push_line(&mut self, text: &str, start: usize, end: usize, focus: usize, tail: bool) {
        self.push_cut_line(text, (start, false), end, focus, tail);
    }

    /// As [`Region::push_line`]; `cut` tells that the line really starts
    /// before `start`.
    fn push_cut_line(
        &mut self,
        text: &str,
        (start, cut): (usize, bool),
        end: usize,
        focus: usize,
        tail: bool,
    ) {
        let (from, to) = if end - start <= LONG_LINE {
            (start, end)
        } else if tail {
            (floor_char(text, end.saturating_sub(WINDOW)).max(start), end)
        } else {
            let from = floor_char(text, focus.saturating_sub(WINDOW_BEFORE)).max(start);
            (from, floor_char(text, (from + WINDOW).min(end)).max(from))
        };
        if from > start || cut {
            self.text.push('…');
        }
        self.windows.push((from, to, self.virt + self.text.len()));
        self.text.push_str(text.get(from..to).unwrap_or(""));
        if to < end {
            self.text.push('…');
        }
        self.text.push('\n');
        self.lines += 1;
    }

    /// The virtual offset of file offset `at`, clamped into the window of
    /// its line.
    fn map(&self, at: usize) -> usize {
        let window = self
            .windows
            .iter()
            .rev()
            .find(|(from, _, _)| *from <= at)
            .or(self.windows.first());
        match window {
            Some((from, to, virt)) => virt + at.clamp(*from, *to) - from,
            None => self.virt,
        }
    }

    fn contains(&self, span: &SourceSpan) -> bool {
        span.offset() >= self.virt && span.offset() + span.len() <= self.virt + self.text.len()
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let region = self
            .regions
            .iter()
            .find(|r| r.contains(span))
            .ok_or(MietteError::OutOfBounds)?;
        // The header asks for a label's own position: answer with the exact
        // line and column in the file, whatever was cut.
        if before == 0 && after == 0 {
            if let Some((_, line, col)) = self.starts.iter().find(|(at, _, _)| *at == span.offset())
            {
                let local = span.offset() - region.virt;
                let line_start = region
                    .text
                    .get(..local)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let data = region.text.get(line_start..local).unwrap_or("").as_bytes();
                return Ok(Box::new(MietteSpanContents::new_named(
                    self.name.clone(),
                    data,
                    SourceSpan::from((region.virt + line_start, data.len())),
                    *line,
                    *col,
                    1,
                )));
            }
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            region.text.as_bytes(),
            SourceSpan::from((region.virt, region.text.len())),
            region.first_line,
            0,
            region.lines,
        )))
    }
}

/// `2 errors, 1 warning`
pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

// --- json ------------------------------------------------------------------

fn to_json(d: &Diagnostic, sources: &Sources) -> Value {
    let location = |span: &Span| {
        let (line, column) = sources.position(*span);
        json!({
            "file": sources.name(span.file),
            "line": line,
            "column": column,
        })
    };
    let position = d.span.map(|s| sources.position(s));
    json!({
        "code": d.code.as_str(),
        "name": d.code.name(),
        "severity": d.severity,
        "message": d.message,
        "file": d.span.map(|s| sources.name(s.file).to_string()),
        "line": position.map(|(line, _)| line),
        "column": position.map(|(_, column)| column),
        "path": d.path,
        "object": d.object,
        "help": d.help,
        "related": d.related.iter().map(|r| {
            let mut loc = location(&r.span);
            if let Some(obj) = loc.as_object_mut() {
                obj.insert("message".into(), json!(r.message));
            }
            loc
        }).collect::<Vec<_>>(),
    })
}

// --- github ----------------------------------------------------------------

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn github(report: &Report, sources: &Sources) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut props = Vec::new();
        if let Some(span) = d.span {
            props.push(format!("file={}", escape_property(sources.name(span.file))));
            let (line, col) = sources.position(span);
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", d.code.as_str(), d.code.name()))
        ));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message)
        ));
    }
    out
}

// --- sarif -----------------------------------------------------------------

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn sarif_location(span: &Span, sources: &Sources) -> Value {
    let (line, col) = sources.position(*span);
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.name(span.file).replace('\\', "/") },
            "region": { "startLine": line, "startColumn": col },
        }
    })
}

fn sarif(report: &Report, sources: &Sources) -> Value {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.name(),
                "shortDescription": { "text": c.summary() },
                "fullDescription": { "text": c.summary() },
                "help": { "text": c.explanation(), "markdown": c.explanation() },
                "defaultConfiguration": { "level": sarif_level(c.severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let rule_index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut result = json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(d.severity),
                "message": { "text": match &d.help { Some(h) => format!("{}\nhelp: {h}", d.message), None => d.message.clone() } },
                "locations": d.span.iter().map(|s| sarif_location(s, sources)).collect::<Vec<_>>(),
            });
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let mut loc = sarif_location(&r.span, sources);
                        loc["id"] = json!(i);
                        loc["message"] = json!({ "text": r.message });
                        loc
                    })
                    .collect();
            }
            if let Some(path) = &d.path {
                result["properties"] = json!({ "path": path, "object": d.object });
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "aigw",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The span of `needle`, which the test says is on `line`.
    fn span(text: &str, needle: &str, line: usize) -> Span {
        let start = text.find(needle).unwrap_or(0);
        assert_eq!(crate::source::position(text, start).0, line, "{needle}");
        Span::new(0, start, start + needle.len())
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f.yaml".into(), text.into())
    }

    #[test]
    fn far_apart_labels_get_regions_of_their_own_lines() {
        let mut text = String::from("first: 1\n");
        for i in 0..10_000 {
            text.push_str(&format!("k{i}: v\n"));
        }
        text.push_str("last: 2\n");
        let spans = [span(&text, "last", 10_002), span(&text, "first", 1)];
        let snippet = Snippet::new(&file(&text), &spans).expect("snippet");
        assert_eq!(snippet.regions.len(), 2);
        let shown: usize = snippet.regions.iter().map(|r| r.text.len()).sum();
        assert!(shown < 100, "{shown} bytes shown");
        let last = snippet.regions.iter().find(|r| r.text.contains("last"));
        assert_eq!(
            last.map(|r| (r.first_line, r.text.as_str())),
            Some((10_000, "k9999: v\nlast: 2\n"))
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_label_and_keeps_its_column() {
        let text = format!("a: 1\nb: [{}x]\nc: 3\n", "y, ".repeat(50_000));
        let spans = [span(&text, "x", 2)];
        let snippet = Snippet::new(&file(&text), &spans).expect("snippet");
        let region = snippet.regions.first().expect("region");
        assert!(region.text.len() < 2 * WINDOW, "{}", region.text.len());
        assert!(region.text.starts_with('…') && region.text.ends_with("y, x]\nc: 3\n"));
        let label = snippet.labels.first().copied().expect("label");
        let header = snippet.read_span(&label, 0, 0).expect("header");
        assert_eq!((header.line(), header.column()), (1, 150_004));
        let text_at = |l: SourceSpan| {
            region
                .text
                .get(l.offset() - region.virt..l.offset() + l.len() - region.virt)
        };
        assert_eq!(text_at(label), Some("x"));
    }

    #[test]
    fn spans_outside_the_text_show_no_snippet() {
        let spans = [Span::new(0, 5, 9)];
        assert!(Snippet::new(&file("ab"), &spans).is_none());
        assert!(Snippet::new(&file(""), &[Span::default()]).is_none());
    }
}
