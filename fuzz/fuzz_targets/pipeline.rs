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
    // A Secret value that is not elsewhere in the (masked) source text must
    // not reach any diagnostic.
    let text = String::from_utf8_lossy(data);
    let (documents, _) = aigw::load::yaml::parse_documents(0, &text);
    let mut ranges = Vec::new();
    for doc in &documents {
        aigw::load::secrets::value_ranges(doc, &mut ranges);
    }
    let masked: String = compiled.sources.get(0).map(|f| f.text.clone()).unwrap_or_default();
    for range in ranges {
        let Some(value) = text.get(range).map(str::trim) else {
            continue;
        };
        // SARIF carries the rule docs, whose examples hold sample values
        // (`openai-svc`); a fuzzed Secret may repeat one of them.
        let in_docs = aigw::diagnostics::Code::ALL
            .iter()
            .any(|code| code.explanation().contains(value));
        if value.len() >= 8 && !masked.contains(value) && !in_docs {
            assert!(!shown.contains(value), "Secret value {value:?} shown in:\n{shown}");
        }
    }
});
