//! The whole pipeline on arbitrary bytes: load, validate, translate, emit,
//! and every diagnostic format. It must never panic, must write output only
//! on success, and must never show a Secret's value.

#![no_main]

use std::path::PathBuf;

use aigw::diagnostics::render::{render, Format, Style};
use aigw::emit::{emit, OutputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut stdin = data;
    let options = aigw::Options::default();
    let Ok(compiled) = aigw::compile(&[PathBuf::from("-")], &mut stdin, &options) else {
        return;
    };
    let style = Style {
        color: false,
        width: 80,
    };
    let mut shown = String::new();
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        shown.push_str(&render(&compiled.report, &compiled.sources, format, style));
    }
    assert_eq!(compiled.output.is_some(), !compiled.report.has_errors());
    if let Some(output) = &compiled.output {
        for format in [OutputFormat::Yaml, OutputFormat::Json] {
            emit(&output.objects(false), format);
        }
    }
    // KRM: the input as a ResourceList; its results are diagnostics too.
    let text = String::from_utf8_lossy(data);
    let (_, krm) = aigw::krm::run_resource_list(&text);
    for result in &krm.results {
        shown.push_str(&format!("{result:?}"));
        shown.push_str(&result.line());
    }
    // Taint: every value of a Secret's data or stringData as the parser
    // reads it (any spelling of kind, through aliases), and the decoded
    // form of data, must not reach any diagnostic, unless it is elsewhere
    // in the (masked) source text or is a word of the rule docs (SARIF
    // carries them, and their examples hold sample values).
    let (documents, _) = aigw::load::yaml::parse_documents(0, &text);
    let mut hidden = aigw::load::secrets::Hidden::default();
    for doc in &documents {
        aigw::load::secrets::collect(doc, &mut hidden);
    }
    let masked: String = compiled.sources.get(0).map(|f| f.text.clone()).unwrap_or_default();
    let mut taint = aigw::source::Taint::default();
    for value in hidden.taint.values() {
        let in_docs = aigw::diagnostics::Code::ALL
            .iter()
            .any(|code| code.explanation().contains(value));
        if value.len() >= 8 && !masked.contains(value) && !in_docs {
            taint.add(value);
        }
    }
    if taint.taints(&shown) {
        let leaked: Vec<&str> = taint.values().filter(|v| shown.contains(v)).collect();
        panic!("Secret values {leaked:?} shown in:\n{shown}");
    }
});
