//! Diagnostic output formats: human (miette), JSON, GitHub workflow
//! annotations and SARIF 2.1.0.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use serde_json::{json, Value};

use super::{Code, Diagnostic, Report, Severity};
use crate::source::{Sources, Span};

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
    format!("{}:{}:{}", sources.name(span.file), span.line, span.col)
}

// --- human -----------------------------------------------------------------

/// Adapts one diagnostic to miette, with its file as source code.
struct Human<'a> {
    d: &'a Diagnostic,
    source: Option<Excerpt>,
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

/// Lines longer than this (minified JSON, `jq -c` output) are quoted as a
/// window around the problem, not whole.
const MAX_QUOTED_LINE: usize = 160;

/// The source text miette quotes: the whole file, or a window of an overlong
/// line, with the line and column it starts at so positions stay true.
struct Excerpt {
    name: String,
    text: String,
    /// Byte offset in the file where `text` starts, less any `…` prefix.
    shift: usize,
    /// 0-based line and column (bytes) of the start of `text`.
    line: usize,
    col: usize,
    /// A window of one line, not the whole file.
    window: bool,
}

impl Excerpt {
    fn around(name: &str, text: &str, span: &Span) -> Excerpt {
        let whole = || Excerpt {
            name: name.to_string(),
            text: text.to_string(),
            shift: 0,
            line: 0,
            col: 0,
            window: false,
        };
        let at = span.start.min(text.len());
        let line_start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line_end = text
            .get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| at + i);
        if line_end - line_start <= MAX_QUOTED_LINE || !text.is_char_boundary(at) {
            return whole();
        }
        let boundary = |mut i: usize, up: bool| {
            while !text.is_char_boundary(i) {
                i = if up { i + 1 } else { i - 1 };
            }
            i
        };
        let from = boundary(
            at.saturating_sub(MAX_QUOTED_LINE / 3).max(line_start),
            false,
        );
        // Cut only where the `…` saves something.
        let from = if from - line_start < 8 {
            line_start
        } else {
            from
        };
        let to = boundary((at + MAX_QUOTED_LINE * 2 / 3).min(line_end), true);
        let prefix = if from > line_start { "…" } else { "" };
        let suffix = if to < line_end { "…" } else { "" };
        let Some(window) = text.get(from..to) else {
            return whole();
        };
        Excerpt {
            name: name.to_string(),
            text: format!("{prefix}{window}{suffix}"),
            shift: from - prefix.len(),
            line: span.line.saturating_sub(1),
            // miette counts columns in bytes, as it does for whole files.
            col: from - line_start - prefix.len(),
            window: true,
        }
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        let col = if inner.line() == 0 {
            inner.column() + self.col
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.line,
            col,
            inner.line_count(),
        )))
    }
}

/// The part of `span` on its first line, as (offset, length): a span over
/// a whole mapping (a document, say) would otherwise quote every line of it.
fn first_line(span: &Span, text: &str) -> (usize, usize) {
    let len = text
        .get(span.start..span.end)
        .and_then(|t| t.find('\n'))
        .unwrap_or(span.len());
    (span.start, len)
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
        if let Some(span) = d.span.filter(|_| !d.quote) {
            notes.push(format!("at {}", position(&span, sources)));
        }
        let source = d.span.filter(|_| d.quote).and_then(|span| {
            let file = sources.get(span.file)?;
            let label = d.object.clone().unwrap_or_else(|| "here".into());
            let excerpt = Excerpt::around(&file.name, &file.text, &span);
            let (start, len) = first_line(&span, &file.text);
            let start = start.saturating_sub(excerpt.shift);
            // A span running past the window ends with it (never inside `…`).
            let end = (start + len).min(excerpt.text.len());
            let end = if excerpt.text.is_char_boundary(end) {
                end
            } else {
                excerpt.text.len()
            };
            let len = end.saturating_sub(start);
            labels.push(LabeledSpan::new_primary_with_span(
                Some(label),
                (start, len),
            ));
            Some(excerpt)
        });
        let whole_file = source.as_ref().is_some_and(|s| !s.window);
        for r in &d.related {
            match d.span {
                Some(span) if d.quote && r.quote && span.file == r.span.file && whole_file => {
                    let text = sources.get(span.file).map_or("", |f| f.text.as_str());
                    labels.push(LabeledSpan::new_with_span(
                        Some(r.message.clone()),
                        first_line(&r.span, text),
                    ));
                }
                _ => notes.push(format!("{}: {}", r.message, position(&r.span, sources))),
            }
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
        json!({
            "file": sources.name(span.file),
            "line": span.line,
            "column": span.col,
        })
    };
    json!({
        "code": d.code.as_str(),
        "name": d.code.name(),
        "severity": d.severity,
        "message": d.message,
        "file": d.span.map(|s| sources.name(s.file).to_string()),
        "line": d.span.map(|s| s.line),
        "column": d.span.map(|s| s.col),
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
            props.push(format!("line={}", span.line));
            props.push(format!("col={}", span.col));
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
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": sources.name(span.file).replace('\\', "/") },
            "region": { "startLine": span.line, "startColumn": span.col },
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
