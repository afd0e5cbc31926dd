//! The writers of `aigw diff`: text (colour on a terminal), markdown (a
//! pull-request comment) and JSON (the structure in the module docs).

use std::fmt::Write as _;

use serde_json::Value;

use super::{BackendChange, Change, Diff, FieldChange, RuleChange};

/// Field changes shown per object before "… N more" (markdown, text).
const MAX_FIELDS: usize = 20;
/// Routing rows above which the markdown table folds into `<details>`.
const FOLD_ROWS: usize = 30;

pub fn to_json(diff: &Diff) -> String {
    let mut out = serde_json::to_string_pretty(diff).unwrap_or_default();
    out.push('\n');
    out
}

fn sign(change: Change) -> char {
    match change {
        Change::Added => '+',
        Change::Removed => '-',
        Change::Changed => '~',
    }
}

/// A value on one line: strings bare, the rest as compact JSON.
fn show(value: Option<&Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn percent(share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{s}%"),
        None => "random".into(),
    }
}

/// `path: a → b`; for two lists of scalars, the items added and removed.
fn field(f: &FieldChange) -> String {
    if let (Some(Value::Array(b)), Some(Value::Array(a))) = (&f.before, &f.after) {
        if b.iter().chain(a).all(|v| !v.is_object() && !v.is_array()) {
            let mut parts: Vec<String> = a
                .iter()
                .filter(|v| !b.contains(v))
                .map(|v| format!("+ {}", show(Some(v))))
                .collect();
            parts.extend(
                b.iter()
                    .filter(|v| !a.contains(v))
                    .map(|v| format!("- {}", show(Some(v)))),
            );
            if parts.is_empty() {
                parts.push("order changed".into());
            }
            return format!("{}: {}", f.path, parts.join(", "));
        }
    }
    format!(
        "{}: {} → {}",
        f.path,
        show(f.before.as_ref()),
        show(f.after.as_ref())
    )
}

/// One backend change on one line: `openai 80% → 60%, weight: 4 → 3`.
fn backend(b: &BackendChange) -> String {
    let mut parts = Vec::new();
    match (b.change, &b.share) {
        (Change::Added, Some(s)) => parts.push(format!("+ {} {}", b.name, percent(s.after))),
        (Change::Removed, Some(s)) => {
            parts.push(format!("- {} (was {})", b.name, percent(s.before)))
        }
        (_, Some(s)) => parts.push(format!(
            "{} {} → {}",
            b.name,
            percent(s.before),
            percent(s.after)
        )),
        (_, None) => parts.push(b.name.clone()),
    }
    parts.extend(b.fields.iter().map(field));
    parts.join(", ")
}

fn rule_title(r: &RuleChange) -> String {
    let index = match (r.before, r.after) {
        (Some(b), Some(a)) if a != b => format!("rule {b} → {a}"),
        (_, Some(a)) => format!("rule {a}"),
        (Some(b), None) => format!("was rule {b}"),
        (None, None) => String::new(),
    };
    if r.matches.starts_with("rule ") {
        index
    } else {
        format!("{} ({index})", r.matches)
    }
}

struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, change: Change, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match change {
            Change::Added => "32",
            Change::Removed => "31",
            Change::Changed => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

fn counts(diff: &Diff) -> (usize, usize, [usize; 3], [usize; 3]) {
    let routes: usize = diff.routing.iter().map(|g| g.routes.len()).sum();
    let mut rules = [0; 3];
    for r in diff
        .routing
        .iter()
        .flat_map(|g| &g.routes)
        .flat_map(|r| &r.rules)
    {
        bump(&mut rules, r.change);
    }
    let mut objects = [0; 3];
    for o in &diff.objects {
        bump(&mut objects, o.change);
    }
    (diff.routing.len(), routes, rules, objects)
}

fn bump(counts: &mut [usize; 3], change: Change) {
    let [added, removed, changed] = counts;
    match change {
        Change::Added => *added += 1,
        Change::Removed => *removed += 1,
        Change::Changed => *changed += 1,
    }
}

fn tally(counts: [usize; 3]) -> String {
    format!(
        "{} added, {} removed, {} changed",
        counts[0], counts[1], counts[2]
    )
}

pub fn to_text(diff: &Diff, color: bool) -> String {
    let p = Paint { color };
    let mut out = String::new();
    if !diff.changed {
        let _ = writeln!(out, "no change between {} and {}", diff.old, diff.new);
        return out;
    }
    let (gateways, routes, rules, objects) = counts(diff);
    let _ = writeln!(
        out,
        "{} ({}) → {} ({})",
        diff.old, diff.old_release, diff.new, diff.new_release
    );
    if diff.routing.is_empty() {
        out.push_str("routing: no change\n");
    } else {
        let _ = writeln!(
            out,
            "routing: {routes} route(s) on {gateways} Gateway(s); rules {}",
            tally(rules)
        );
    }
    for g in &diff.routing {
        let section = g
            .section_name
            .as_deref()
            .map(|s| format!(" (listener {s})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                g.change,
                &format!("{} Gateway {}{section}", sign(g.change), g.gateway)
            )
        );
        for r in &g.routes {
            let _ = writeln!(
                out,
                "  {}",
                p.paint(
                    r.change,
                    &format!("{} AIGatewayRoute {}", sign(r.change), r.route)
                )
            );
            for f in &r.fields {
                let _ = writeln!(out, "      {}", field(f));
            }
            for rule in &r.rules {
                let _ = writeln!(
                    out,
                    "    {}",
                    p.paint(
                        rule.change,
                        &format!("{} {}", sign(rule.change), rule_title(rule))
                    )
                );
                for f in &rule.fields {
                    let _ = writeln!(out, "        {}", field(f));
                }
                for b in &rule.backends {
                    // Added and removed backends carry their sign already.
                    let line = match b.change {
                        Change::Changed => format!("~ {}", backend(b)),
                        _ => backend(b),
                    };
                    let _ = writeln!(out, "        {}", p.paint(b.change, &line));
                }
            }
        }
    }
    let _ = writeln!(out, "objects: {}", tally(objects));
    for o in &diff.objects {
        let at = o
            .namespace
            .as_deref()
            .map(|n| format!("{n}/"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}",
            p.paint(
                o.change,
                &format!("{} {} {at}{}", sign(o.change), o.kind, o.name)
            )
        );
        for f in o.fields.iter().take(MAX_FIELDS) {
            write_field_text(&mut out, f);
        }
        if o.fields.len() > MAX_FIELDS {
            let _ = writeln!(out, "    … {} more", o.fields.len() - MAX_FIELDS);
        }
    }
    out
}

/// A field; a multi-line string (an embedded config file) as a line diff.
fn write_field_text(out: &mut String, f: &FieldChange) {
    if let (Some(Value::String(b)), Some(Value::String(a))) = (&f.before, &f.after) {
        if b.contains('\n') || a.contains('\n') {
            let _ = writeln!(out, "    {}:", f.path);
            let diff = similar::TextDiff::from_lines(b, a);
            for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
                let _ = writeln!(out, "      {}", hunk.header());
                for change in hunk.iter_changes() {
                    let tag = match change.tag() {
                        similar::ChangeTag::Equal => ' ',
                        similar::ChangeTag::Delete => '-',
                        similar::ChangeTag::Insert => '+',
                    };
                    let _ = writeln!(out, "      {tag}{}", change.value().trim_end_matches('\n'));
                }
            }
            return;
        }
    }
    let _ = writeln!(out, "    {}", field(f));
}

/// A markdown table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn to_markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### aigw diff: `{}` ({}) → `{}` ({})\n",
        cell(&diff.old),
        cell(&diff.old_release),
        cell(&diff.new),
        cell(&diff.new_release)
    );
    if !diff.changed {
        out.push_str("No change to the routing or to the objects.\n");
        return out;
    }
    let (gateways, routes, rules, objects) = counts(diff);
    let routing = if diff.routing.is_empty() {
        "no change".to_string()
    } else {
        format!(
            "{routes} route(s) on {gateways} Gateway(s) changed; rules {}",
            tally(rules)
        )
    };
    let _ = writeln!(
        out,
        "**Routing:** {routing}.  \n**Objects:** {}.\n",
        tally(objects)
    );
    let mut rows = Vec::new();
    for g in &diff.routing {
        let gateway = match &g.section_name {
            Some(s) => format!("`{}` ({})", cell(&g.gateway), cell(s)),
            None => format!("`{}`", cell(&g.gateway)),
        };
        if g.change != Change::Changed {
            rows.push(format!("| {gateway} | | | Gateway {} |", word(g.change)));
        }
        for r in &g.routes {
            let route = format!("`{}`", cell(&r.route));
            if r.change != Change::Changed {
                rows.push(format!(
                    "| {gateway} | {route} | | route {} |",
                    word(r.change)
                ));
            }
            if !r.fields.is_empty() {
                let what: Vec<String> = r.fields.iter().map(|f| cell(&field(f))).collect();
                rows.push(format!("| {gateway} | {route} | | {} |", what.join("; ")));
            }
            for rule in &r.rules {
                let mut what: Vec<String> = Vec::new();
                if rule.change != Change::Changed {
                    what.push(format!("rule {}", word(rule.change)));
                }
                what.extend(rule.fields.iter().map(field));
                what.extend(rule.backends.iter().map(backend));
                let what: Vec<String> = what.iter().map(|w| cell(w)).collect();
                rows.push(format!(
                    "| {gateway} | {route} | `{}` | {} |",
                    cell(&rule_title(rule)),
                    what.join("; ")
                ));
            }
        }
    }
    if !rows.is_empty() {
        let fold = rows.len() > FOLD_ROWS;
        if fold {
            let _ = writeln!(
                out,
                "<details><summary>Routing changes ({} rows)</summary>\n",
                rows.len()
            );
        }
        out.push_str("| Gateway | Route | Rule | Change |\n|---|---|---|---|\n");
        for row in &rows {
            out.push_str(row);
            out.push('\n');
        }
        if fold {
            out.push_str("\n</details>\n");
        }
        out.push('\n');
    }
    if !diff.objects.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Objects: {}</summary>\n",
            tally(objects)
        );
        for o in &diff.objects {
            let at = o
                .namespace
                .as_deref()
                .map(|n| format!("{n}/"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} {} `{}{}`",
                word(o.change),
                o.kind,
                cell(&at),
                cell(&o.name)
            );
            for f in o.fields.iter().take(MAX_FIELDS) {
                let _ = writeln!(
                    out,
                    "  - `{}`: {} → {}",
                    cell(&f.path),
                    short(f.before.as_ref()),
                    short(f.after.as_ref())
                );
            }
            if o.fields.len() > MAX_FIELDS {
                let _ = writeln!(out, "  - … {} more", o.fields.len() - MAX_FIELDS);
            }
        }
        out.push_str("\n</details>\n");
    }
    out
}

fn word(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
    }
}

/// A value for a markdown list: short ones in code spans, long or
/// multi-line ones summarised (the text output shows them in full).
fn short(value: Option<&Value>) -> String {
    let text = show(value);
    if value.is_none() {
        return text;
    }
    if text.contains('\n') {
        return format!(
            "({} lines; the text output shows the change)",
            text.lines().count()
        );
    }
    if text.chars().count() > 200 {
        return format!("({} characters)", text.chars().count());
    }
    format!("`{}`", text.replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{GatewayChange, RouteChange, Share};

    /// A diff of `routes` routes, each with one rule whose shares moved.
    fn many(routes: usize) -> Diff {
        let routes = (0..routes)
            .map(|i| RouteChange {
                route: format!("default/route-{i}"),
                change: Change::Changed,
                fields: Vec::new(),
                rules: vec![RuleChange {
                    matches: format!("x-ai-eg-model=m{i}"),
                    before: Some(0),
                    after: Some(0),
                    change: Change::Changed,
                    fields: Vec::new(),
                    backends: vec![BackendChange {
                        name: "openai".into(),
                        change: Change::Changed,
                        share: Some(Share {
                            before: Some(80.0),
                            after: Some(60.0),
                        }),
                        fields: Vec::new(),
                    }],
                }],
            })
            .collect();
        Diff {
            old: "a".into(),
            new: "b".into(),
            old_release: "v0.1".into(),
            new_release: "v0.1".into(),
            changed: true,
            routing: vec![GatewayChange {
                gateway: "default/gw".into(),
                section_name: None,
                change: Change::Changed,
                routes,
            }],
            objects: Vec::new(),
        }
    }

    #[test]
    fn markdown_stays_readable_at_200_routes() {
        let text = to_markdown(&many(200));
        // The summary comes first, then the table folds away.
        let summary = text
            .find("**Routing:** 200 route(s) on 1 Gateway(s) changed")
            .expect("summary");
        let fold = text
            .find("<details><summary>Routing changes (200 rows)</summary>")
            .expect("folded");
        assert!(summary < fold);
        assert_eq!(text.matches("| `default/gw` |").count(), 200);
        assert!(text.contains("openai 80% → 60%"));
        // A short one is not folded.
        assert!(!to_markdown(&many(3)).contains("<details><summary>Routing"));
    }

    #[test]
    fn text_is_coloured_only_when_asked() {
        let d = many(1);
        assert!(to_text(&d, true).contains("\x1b[33m~ Gateway default/gw\x1b[0m"));
        assert!(!to_text(&d, false).contains('\x1b'));
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        let mut d = many(1);
        if let Some(rule) = d
            .routing
            .first_mut()
            .and_then(|g| g.routes.first_mut())
            .and_then(|r| r.rules.first_mut())
        {
            rule.matches = "x-ai-eg-model=a|b".into();
        }
        assert!(to_markdown(&d).contains("`x-ai-eg-model=a\\|b (rule 0)`"));
    }
}
