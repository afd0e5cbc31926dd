//! Per-stage benchmarks of one render over the generated corpus
//! (benches/support/corpus.rs): `cargo bench --bench stages`.
//! `AIGW_BENCH_ROUTES` sets the corpus size (default 100).

#[path = "support/corpus.rs"]
mod corpus;

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

use aigw::emit::{emit, OutputFormat};
use aigw::{load, translate, validate, Options};

fn corpus_dir(routes: usize) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("aigw-bench-stages-{routes}"));
    if !dir.exists() {
        let partial = dir.with_extension("partial");
        let _ = std::fs::remove_dir_all(&partial);
        corpus::generate(routes, &partial).expect("write the corpus");
        std::fs::rename(&partial, &dir).expect("move the corpus in place");
    }
    dir
}

fn stages(c: &mut Criterion) {
    let routes = std::env::var("AIGW_BENCH_ROUTES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let paths = vec![corpus_dir(routes)];
    let options = Options::default();
    let mut group = c.benchmark_group(format!("{routes}-routes"));
    group.sample_size(20);

    let load = || load::load(&paths, &mut std::io::empty(), &[]).expect("load the corpus");
    group.bench_function("load", |b| b.iter(load));

    let loaded = load();
    let validate = |objects| {
        let mut diagnostics = Vec::new();
        let catalog = validate::build_catalog(
            objects,
            &options.namespace,
            validate::Trees::Keep,
            &mut diagnostics,
        );
        validate::check_catalog(&catalog, &mut diagnostics);
        catalog
    };
    group.bench_function("validate", |b| {
        b.iter_batched(|| loaded.objects.clone(), validate, BatchSize::LargeInput)
    });

    let catalog = validate(loaded.objects.clone());
    group.bench_function("translate", |b| {
        b.iter(|| translate::translate(&catalog, &options.extproc))
    });

    let compiled = aigw::compile(&paths, &mut std::io::empty(), &options).expect("compile");
    let output = compiled.output.expect("the corpus is valid");
    group.bench_function("emit", |b| {
        b.iter(|| emit(&output.objects(false), OutputFormat::Yaml))
    });

    group.bench_function("compile+emit", |b| {
        b.iter(|| {
            let compiled = aigw::compile(&paths, &mut std::io::empty(), &options).expect("compile");
            compiled
                .output
                .map(|o| emit(&o.objects(false), OutputFormat::Yaml))
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
