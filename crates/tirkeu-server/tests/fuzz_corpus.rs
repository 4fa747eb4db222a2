//! The fuzz corpus, replayed in the normal test suite (no nightly toolchain, no libFuzzer):
//! every file under `fuzz/corpus/<target>/` is given to the same function the fuzz target
//! calls (`fuzz/src/lib.rs`, included here), and none may panic. Seeds and the inputs of
//! crashes once found and fixed live there, so a fix stays a fix.

#[allow(dead_code, clippy::pedantic)]
#[path = "../../../fuzz/src/lib.rs"]
mod harness;

use std::path::Path;

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 7] = [
    ("mrz", harness::mrz),
    ("case_number", harness::case_number),
    ("policy", harness::policy),
    ("csv_import", harness::csv_import),
    ("upload_sniff", harness::upload_sniff),
    ("image_decode", harness::image_decode),
    ("pdf_screen", harness::pdf_screen),
];

#[test]
fn every_corpus_file_of_every_target_replays_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let mut total = 0;
    for (name, target) in TARGETS {
        let dir = root.join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no seeds for {name}");
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let outcome = std::panic::catch_unwind(|| target(&bytes));
            assert!(outcome.is_ok(), "{name}: {} panics", file.display());
            total += 1;
        }
    }
    assert!(total >= 7);
}
