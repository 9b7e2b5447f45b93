//! Pagination detection over the real-world corpus (`../shared/catalogs`; skipped with a notice
//! when absent): how many of the actions that take a paging query parameter are detected, per
//! connector and style. The figures are recorded in BENCHMARKS.md.

use std::collections::BTreeMap;
use std::path::Path;

use alloy_model::paging::detect;
use alloy_model::{Catalog, ParameterLocation};

/// Query parameters that page, as the corpus spells them.
const PAGING_PARAMS: &[&str] = &[
    "PageToken",
    "Page",
    "page",
    "starting_after",
    "ending_before",
    "offset",
    "page[cursor]",
    "startAt",
    "cursor",
    "after",
    "skip",
    "page[after]",
    "start_cursor",
];

#[test]
fn detection_covers_the_paginated_corpus_actions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/catalogs");
    if !dir.is_dir() {
        eprintln!("skipped: corpus not found at {}", dir.display());
        return;
    }
    let catalog = Catalog::load(&dir).expect("corpus loads");
    let mut per: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    let (mut paged, mut detected) = (0usize, 0usize);
    let mut missed = Vec::new();
    for (id, connector) in &catalog.connectors {
        for action in connector.actions.values() {
            let takes = action.parameters.iter().any(|p| {
                p.location == ParameterLocation::Query && PAGING_PARAMS.contains(&p.name.as_str())
            });
            let found = detect(action);
            if let Some(paging) = &found {
                *per.entry((id.to_string(), paging.style.name()))
                    .or_default() += 1;
            }
            if takes {
                paged += 1;
                if found.is_some() {
                    detected += 1;
                } else {
                    missed.push(format!("{id}/{}", action.id));
                }
            }
        }
    }
    for ((connector, style), n) in &per {
        println!("{connector} {style}: {n}");
    }
    println!("detected {detected} of {paged} actions with a paging parameter");
    println!("missed (first 40): {:?}", &missed[..missed.len().min(40)]);
    assert!(detected * 100 >= paged * 90, "{detected} of {paged}");
}
