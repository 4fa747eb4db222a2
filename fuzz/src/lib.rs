//! What each fuzz target does with its input, in one place: the targets in `fuzz_targets/`
//! call these, and so does the corpus replay in the normal test suite
//! (`crates/tirkeu-server/tests/fuzz_corpus.rs` includes this file), so a crash found here
//! and fixed stays fixed without a nightly toolchain.
//!
//! Each function must never panic, whatever the bytes; libFuzzer's `-timeout` and
//! `-rss_limit_mb` (scripts/fuzz.sh) catch hangs and unbounded memory.

use jiff::civil::{Date, date};
use tirkeu_core::mrz::Mrz;
use tirkeu_core::number::{CardNumber, CaseNumber};
use tirkeu_core::person::Applicant;
use tirkeu_core::policy::Policy;
use tirkeu_server::upload::{Limits, detect, sanitize};

/// A fixed "today", so that a run is reproducible.
const TODAY: Date = date(2026, 12, 2);

/// Limits smaller than the server's (40 megapixels, 256 MiB) so that one input stays fast;
/// the code paths are the same.
fn limits() -> Limits {
    Limits {
        max_bytes: 20 * 1024 * 1024,
        max_pixels: 4_000_000,
        max_alloc: 64 * 1024 * 1024,
    }
}

/// MRZ: the zone parser and the applicant read from it.
pub fn mrz(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(mrz) = Mrz::parse(&text, TODAY) {
        // A zone that parses is one the applicant reader accepts or names a problem for.
        let _ = Applicant::from_mrz(&text, TODAY);
        let _ = format!("{mrz:?}");
    }
    let _ = tirkeu_core::mrz::check(&text, TODAY);
}

/// Case and card numbers: parsing, and the printed form parsing back to the same number.
pub fn case_number(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(n) = CaseNumber::parse(&text) {
        assert_eq!(CaseNumber::parse(&n.to_string()).ok(), Some(n));
        assert_eq!(CaseNumber::parse(&n.compact()).ok(), Some(n));
    }
    if let Ok(n) = CardNumber::parse(&text) {
        assert_eq!(CardNumber::parse(&n.to_string()).ok(), Some(n));
        assert_eq!(CardNumber::parse(&n.compact()).ok(), Some(n));
    }
}

/// The policy file: TOML parsing and every check of the policy.
pub fn policy(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Policy::from_toml(text);
    }
}

/// A host's CSV of guests: the file read into arrival requests, each row's guest read as the
/// import reads it (the database write is all that is left out).
pub fn csv_import(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(rows) = tirkeu_server::api::host::parse_arrivals_csv(&text) else {
        return;
    };
    for (_, row) in rows {
        if let Ok(req) = row {
            let mut errors = Vec::new();
            let _ = tirkeu_server::api::applicant::read_applicant(
                &req.guest,
                "guest",
                TODAY,
                &mut errors,
            );
            let _ = tirkeu_core::problem::parse_instant("arrived_at", &req.arrived_at);
        }
    }
}

/// Upload sniffing: the type decided by the first bytes, and the whole check for any type.
pub fn upload_sniff(data: &[u8]) {
    let_parser_panics_unwind();
    let detected = detect(data);
    let _ = detected.content_type();
    let result = sanitize(
        data,
        &["image/jpeg", "image/png", "application/pdf"],
        &limits(),
    );
    if let Ok(s) = result {
        assert_eq!(Some(s.content_type), detect(&s.bytes).content_type());
    }
}

/// Image decoding and re-encoding: whatever is stored is an image of the same type that
/// decodes again.
pub fn image_decode(data: &[u8]) {
    if let Ok(s) = sanitize(data, &["image/*"], &limits()) {
        let again = sanitize(&s.bytes, &["image/*"], &limits());
        assert!(again.is_ok(), "a re-encoded image is refused: {again:?}");
    }
}

/// PDF screening: the byte scan, the parser and the walk over its objects.
pub fn pdf_screen(data: &[u8]) {
    let_parser_panics_unwind();
    let _ = sanitize(data, &["application/pdf"], &limits());
}

/// `check_pdf` catches a panic of the PDF parser (lopdf) and refuses the file as a bad PDF,
/// as the server does with its default `panic = "unwind"`. libFuzzer's panic hook aborts on
/// every panic, caught or not; this lets lopdf's unwind to that catch, as in the server, and
/// keeps the hook for every other panic (ours, the image decoders'), which remain crashes.
fn let_parser_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_parser = info
                .location()
                .is_some_and(|l| l.file().contains("/lopdf-"));
            if !in_parser {
                fuzzer_hook(info);
            }
        }));
    });
}
